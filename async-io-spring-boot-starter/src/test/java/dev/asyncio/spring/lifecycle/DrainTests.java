package dev.asyncio.spring.lifecycle;

import java.io.DataInputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The drain of a graceful shutdown: connections keep working after accepting stopped, and each is closed once it
 * is quiet for {@code async-io.shutdown-quiet-period}, long before the phase timeout.
 */
class DrainTests {

    @Test
    void aConnectionIsAnsweredDuringTheDrainAndClosedOnceQuiet() throws Exception {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(EchoApplication.class)
            .web(WebApplicationType.NONE)
            .properties("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                    "async-io.handles.echo.queue-output=true", "async-io.shutdown-quiet-period=500ms",
                    "spring.lifecycle.timeout-per-shutdown-phase=60s", "spring.main.banner-mode=off")
            .run();
        ManagedAcceptingHandle echo = context.getBean("echoHandle", ManagedAcceptingHandle.class);
        Thread closer = new Thread(context::close, "context-closer");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", echo.localPort()), 5_000);
            socket.setSoTimeout(30_000);
            OutputStream out = socket.getOutputStream();
            DataInputStream in = new DataInputStream(socket.getInputStream());
            assertThat(roundTrip(out, in, "before shutdown")).isEqualTo("before shutdown");

            closer.start();
            await().until(() -> echo.status() == ManagedAcceptingHandle.Status.STOPPED);
            // Accepting stopped, yet the established connection is still served: nothing in flight is cut off.
            assertThat(roundTrip(out, in, "during the drain")).isEqualTo("during the drain");

            // Now quiet: the server closes it gracefully, well before the 60 s phase timeout.
            long started = System.nanoTime();
            assertThat(in.read()).isEqualTo(-1);
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(30));
        }
        finally {
            closer.join(60_000);
            context.close();
        }
        assertThat(context.isActive()).isFalse();
    }

    private static String roundTrip(OutputStream out, DataInputStream in, String text) throws Exception {
        byte[] bytes = text.getBytes(StandardCharsets.US_ASCII);
        out.write(bytes);
        out.flush();
        byte[] back = new byte[bytes.length];
        in.readFully(back);
        return new String(back, StandardCharsets.US_ASCII);
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class EchoApplication {

        @Bean
        ConnectionFunction echo() {
            return new EchoConnectionFunction();
        }
    }
}
