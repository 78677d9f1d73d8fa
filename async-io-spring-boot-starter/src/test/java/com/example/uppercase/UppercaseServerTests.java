package com.example.uppercase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import dev.asyncio.spring.test.LocalAsyncIoPort;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/** The first test class of the fresh application: its configured port (26700) is not bound, an ephemeral one is. */
@SpringBootTest(properties = "spring.config.name=uppercase")
class UppercaseServerTests {

    @LocalAsyncIoPort("upper")
    int port;

    @Test
    void answersEachLineInUpperCase() throws IOException {
        assertThat(this.port).isPositive().isNotEqualTo(26700);
        assertThat(exchange(this.port, "hello\nworld\n", 12)).isEqualTo("HELLO\nWORLD\n");
    }

    static String exchange(int port, String lines, int answerLength) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(lines.getBytes(StandardCharsets.UTF_8));
            InputStream in = socket.getInputStream();
            return new String(in.readNBytes(answerLength), StandardCharsets.UTF_8);
        }
    }
}
