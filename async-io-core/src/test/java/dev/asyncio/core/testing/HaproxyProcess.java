package dev.asyncio.core.testing;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * A real HAProxy (Debian's {@code haproxy}, installed by {@code .ci/run}) run in the foreground as a child process:
 * one TCP frontend on an ephemeral loopback port, relaying to one server with {@code send-proxy-v2} (or
 * {@code send-proxy} for v1). The configuration and the log live in a temporary directory. Closing destroys it.
 */
public final class HaproxyProcess implements AutoCloseable {

    /** Where Debian installs it. */
    public static final Path BINARY = Path.of("/usr/sbin/haproxy");
    private static final int ATTEMPTS = 5;

    private final Process process;
    private final Path dir;
    private final int port;

    private HaproxyProcess(Process process, Path dir, int port) {
        this.process = process;
        this.dir = dir;
        this.port = port;
    }

    /** @return whether the binary is there and runs */
    public static boolean available() {
        if (!Files.isExecutable(BINARY)) {
            return false;
        }
        try {
            Process p = new ProcessBuilder(BINARY.toString(), "-v").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /**
     * Starts HAProxy in front of {@code backend}; retries with another port if the one picked was taken meanwhile.
     *
     * @param backend the server it relays to
     * @param proxyVersion 1 ({@code send-proxy}) or 2 ({@code send-proxy-v2})
     * @return the running process, its frontend accepting
     */
    public static HaproxyProcess start(InetSocketAddress backend, int proxyVersion) throws Exception {
        Path dir = Files.createTempDirectory("haproxy");
        String failures = "";
        for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
            int port = freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(port, backend, proxyVersion));
            Path log = dir.resolve("haproxy-" + attempt + ".log");
            Process p = new ProcessBuilder(BINARY.toString(), "-db", "-f", cfg.toString())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
            HaproxyProcess h = new HaproxyProcess(p, dir, port);
            if (h.awaitListening(Duration.ofSeconds(10))) {
                return h;
            }
            h.close();
            failures += "attempt " + attempt + " (port " + port + "): " + Files.readString(log) + "\n";
        }
        throw new IllegalStateException("haproxy did not start:\n" + failures);
    }

    /** @return the configuration: a TCP frontend on {@code port} relaying to {@code backend} with the protocol */
    static String config(int port, InetSocketAddress backend, int proxyVersion) {
        return String.join("\n",
                "global",
                "  maxconn 100",
                "defaults",
                "  mode tcp",
                "  timeout connect 5s",
                "  timeout client 30s",
                "  timeout server 30s",
                "frontend fe",
                "  bind 127.0.0.1:" + port,
                "  default_backend be",
                "backend be",
                "  server s1 " + backend.getAddress().getHostAddress() + ":" + backend.getPort()
                        + (proxyVersion == 1 ? " send-proxy" : " send-proxy-v2"),
                "");
    }

    /** @return a port that was free a moment ago (bound to 0, then closed) */
    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }

    private boolean awaitListening(Duration within) throws InterruptedException {
        long deadline = System.nanoTime() + within.toNanos();
        while (System.nanoTime() - deadline < 0) {
            if (!process.isAlive()) {
                return false;
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 500);
                return true;
            } catch (IOException notYet) {
                // Not listening yet: poll again after a moment (a process start, not an event we can wait on).
                process.waitFor(20, TimeUnit.MILLISECONDS);
            }
        }
        return false;
    }

    /** @return the frontend's address, where clients connect */
    public InetSocketAddress frontend() {
        return new InetSocketAddress("127.0.0.1", port);
    }

    /** @return what HAProxy logged so far (all attempts' logs are in its directory) */
    public String log() {
        try (var files = Files.list(dir)) {
            StringBuilder b = new StringBuilder();
            for (Path f : files.filter(f -> f.toString().endsWith(".log")).toList()) {
                b.append(Files.readString(f, StandardCharsets.UTF_8));
            }
            return b.toString();
        } catch (IOException e) {
            return "(log unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
        }
    }
}
