package dev.asyncio.sample.testing;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.awaitility.Awaitility;

/**
 * A real {@code redis-server} (Debian's {@code /usr/bin/redis-server}, or one on {@code PATH}) run as a child process
 * on a loopback port, without persistence ({@code --save '' --appendonly no}), for interoperability tests. It can be
 * killed and started again on the same port.
 */
public final class RedisServerProcess implements AutoCloseable {

    private final String executable;
    private final int port;
    private final File directory;
    private Process process;

    private RedisServerProcess(String executable, int port, File directory) {
        this.executable = executable;
        this.port = port;
        this.directory = directory;
    }

    /** @return the redis-server executable, or {@code null} when it is not installed */
    public static String find() {
        File debian = new File("/usr/bin/redis-server");
        if (debian.canExecute()) {
            return debian.getAbsolutePath();
        }
        return ExternalTool.find("redis-server");
    }

    /**
     * Starts redis-server on a free loopback port and waits until it answers.
     *
     * @return the running server
     * @throws IOException if it cannot start or does not answer within 20 s
     */
    public static RedisServerProcess start() throws IOException {
        String executable = find();
        if (executable == null) {
            throw new IOException("redis-server is not installed");
        }
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        File dir = java.nio.file.Files.createTempDirectory("redis-test").toFile();
        RedisServerProcess server = new RedisServerProcess(executable, port, dir);
        server.restart();
        return server;
    }

    /** @return its port */
    public int port() {
        return port;
    }

    /**
     * Starts it again on the same port after {@link #kill()}, and waits until it answers.
     *
     * @throws IOException if it does not answer within 20 s
     */
    public void restart() throws IOException {
        process = new ProcessBuilder(executable, "--port", Integer.toString(port), "--bind", "127.0.0.1",
                "--save", "", "--appendonly", "no", "--dir", directory.getAbsolutePath())
                .redirectErrorStream(true).redirectOutput(new File(directory, "redis.log")).start();
        try {
            Awaitility.await().atMost(Duration.ofSeconds(20)).ignoreExceptions().until(() -> {
                try (RespClient c = new RespClient(port)) {
                    return "PONG".equals(c.call("PING"));
                }
            });
        } catch (RuntimeException e) {
            throw new IOException("redis-server did not answer on port " + port + ": " + e.getMessage(), e);
        }
    }

    /**
     * Kills it at once (SIGKILL, as a crash): its clients see their connections reset or closed.
     *
     * @throws InterruptedException if interrupted while waiting for it to end
     */
    public void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() throws InterruptedException {
        if (process != null) {
            kill();
        }
    }
}
