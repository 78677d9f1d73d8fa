package dev.asyncio.bench.load;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The load generator must count what a correct echo server returns and flag what a broken one returns: a flipped
 * byte, a dropped byte, an early close. Short runs (0.2 s) against an in-process thread-per-connection server on an
 * ephemeral port; no timing assertions.
 */
class LoadGeneratorTest {

    /** How the test server mangles the stream. */
    enum Fault { NONE, FLIP_BYTE, DROP_BYTE, CLOSE_EARLY, GO_SILENT }

    private ServerSocket server;
    private final AtomicBoolean running = new AtomicBoolean(true);

    @AfterEach
    void stop() throws IOException {
        running.set(false);
        if (server != null) {
            server.close();
        }
    }

    @Test
    void correctEchoHasNoErrorsInEveryMode() throws Exception {
        int port = start(Fault.NONE);
        for (String mode : new String[] {"pingpong --depth 4", "openloop --rate 2000", "stream", "churn"}) {
            Result r = run(mode + " --conns 3", port);
            assertThat(r.errors()).as(mode).isZero();
            assertThat(r.format()).as(mode).doesNotContain("/s 0 ");
        }
        Result idle = run("idle --conns 50", port);
        assertThat(idle.errors()).isZero();
        assertThat(idle.format()).startsWith("conns 50 ");
    }

    @Test
    void flippedByteIsAnError() throws Exception {
        assertThat(run("pingpong --conns 2", start(Fault.FLIP_BYTE)).errors()).isPositive();
    }

    @Test
    void droppedByteIsAnErrorInStreaming() throws Exception {
        assertThat(run("stream --conns 1", start(Fault.DROP_BYTE)).errors()).isPositive();
    }

    @Test
    void silentServerIsAStallInPingPong() throws Exception {
        int port = start(Fault.GO_SILENT);
        Result r = run("pingpong --conns 1", port, 2.5);
        assertThat(r.errors()).isPositive();
        assertThat(r.format()).contains("stalled 1");
    }

    @Test
    void earlyCloseIsAnError() throws Exception {
        assertThat(run("pingpong --conns 2", start(Fault.CLOSE_EARLY)).errors()).isPositive();
    }

    @Test
    void badOptionsAreRejectedWithTheirName() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"pingpong", "--port",
                "1", "--bogus", "2"})).hasMessageContaining("--bogus");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> LoadOptions.parse(new String[] {"openloop", "--port",
                "1", "--rate", "0"})).hasMessageContaining("--rate");
    }

    private static Result run(String mode, int port) throws Exception {
        return run(mode, port, 0.2);
    }

    private static Result run(String mode, int port, double seconds) throws Exception {
        String[] args = (mode + " --port " + port + " --warmup 0.05 --seconds " + seconds).split(" ");
        LoadOptions o = LoadOptions.parse(args);
        return switch (o.mode()) {
            case "pingpong" -> new MessageScenario(o, false).run();
            case "openloop" -> new MessageScenario(o, true).run();
            case "stream" -> new StreamScenario(o).run();
            case "churn" -> new ChurnScenario(o).run();
            case "idle" -> new IdleScenario(o).run();
            default -> throw new IllegalArgumentException(mode);
        };
    }

    private int start(Fault fault) throws IOException {
        server = new ServerSocket();
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        Thread acceptor = new Thread(() -> {
            while (running.get()) {
                try {
                    Socket s = server.accept();
                    s.setTcpNoDelay(true);
                    Thread t = new Thread(() -> echo(s, fault));
                    t.setDaemon(true);
                    t.start();
                } catch (IOException e) {
                    return;
                }
            }
        });
        acceptor.setDaemon(true);
        acceptor.start();
        return server.getLocalPort();
    }

    private static void echo(Socket s, Fault fault) {
        byte[] buf = new byte[64 * 1024];
        long total = 0;
        try (s; InputStream in = s.getInputStream(); OutputStream out = s.getOutputStream()) {
            int n;
            while ((n = in.read(buf)) > 0) {
                long before = total;
                total += n;
                boolean hit = before < 1000 && total >= 1000; // the fault strikes at stream byte 1000
                if (hit && fault == Fault.CLOSE_EARLY) {
                    return;
                }
                if (total >= 1000 && fault == Fault.GO_SILENT) {
                    continue; // keeps the connection open and answers nothing more
                }
                if (hit && fault == Fault.FLIP_BYTE) {
                    buf[(int) (999 - before)] ^= 0x5a;
                }
                if (hit && fault == Fault.DROP_BYTE) {
                    int at = (int) (999 - before);
                    System.arraycopy(buf, at + 1, buf, at, n - at - 1);
                    n--;
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            // the client closed
        }
    }
}
