package dev.asyncio.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Out of file descriptors, a handle resets the clients that wait in its backlog at once, with the spare descriptor
 * the engine keeps for this, instead of leaving them to hang; connections already open keep being served. A child
 * JVM with {@code ulimit -n 256} takes every descriptor it has left on command.
 */
class AcceptOutOfDescriptorsTest {

    private static final int READ_TIMEOUT_MILLIS = 10_000;

    private static Map<String, String> stats(ChildJvm child) throws Exception {
        child.send("stats");
        Map<String, String> m = new HashMap<>();
        for (String kv : child.nextLine().substring("stats ".length()).split(" ")) {
            String[] p = kv.split("=");
            m.put(p[0], p[1]);
        }
        return m;
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        s.setSoTimeout(READ_TIMEOUT_MILLIS);
        return s;
    }

    private static String echo(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.US_ASCII));
        byte[] b = s.getInputStream().readNBytes(text.length());
        return new String(b, StandardCharsets.US_ASCII);
    }

    /**
     * @return "eof" or "reset" when the server ended a new connection (on loopback the reset may arrive before the
     *         connect completes), "timeout" if nothing came within the bound
     */
    private static String newcomer(int port) throws IOException {
        Socket s;
        try {
            s = connect(port);
        } catch (java.net.SocketException resetWhileConnecting) {
            return "reset";
        }
        try (s) {
            InputStream in = s.getInputStream();
            return in.read() < 0 ? "eof" : "data";
        } catch (SocketTimeoutException hanging) {
            return "timeout";
        } catch (IOException reset) {
            return "reset";
        }
    }

    @Test
    void outOfDescriptorsNewClientsAreResetAtOnceAndOpenConnectionsAreServed() throws Exception {
        Assumptions.assumeTrue(ChildJvm.onPath("bash"), "bash is needed to lower the child's descriptor limit");
        List<String> java = ChildJvm.javaCommand(AcceptOutOfDescriptorsChild.class, List.of("-Xmx64m"));
        String command = "ulimit -n 256 && exec " + String.join(" ", java.stream().map(a -> "'" + a + "'").toList());
        try (ChildJvm child = ChildJvm.start(List.of("bash", "-c", command))) {
            int port = Integer.parseInt(child.nextLine().substring("port ".length()));
            try (Socket existing = connect(port)) {
                assertThat(echo(existing, "before")).isEqualTo("before");

                child.send("exhaust");
                assertThat(child.nextLine()).startsWith("exhausted ");
                for (int i = 0; i < 5; i++) {
                    assertThat(newcomer(port)).as("newcomer %d; child stderr:%n%s", i, child.stderr())
                            .isIn("eof", "reset");
                }
                assertThat(echo(existing, "during")).as("the open connection is served").isEqualTo("during");
                Map<String, String> during = stats(child);
                assertThat(Long.parseLong(during.get("refused"))).isEqualTo(5);
                assertThat(during.get("backoff")).isEqualTo("false");
                assertThat(during.get("alive")).isEqualTo("true");

                child.send("release");
                assertThat(child.nextLine()).isEqualTo("released");
                try (Socket later = connect(port)) {
                    assertThat(echo(later, "after")).as("served once descriptors are free").isEqualTo("after");
                }
                String log = child.stderr();
                assertThat(log.split("accept failed", -1)).as("one WARN line for the episode:%n%s", log).hasSize(2);
                assertThat(log).contains("accepting again after").contains("5 new connections reset meanwhile");
            }
        }
    }
}
