package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The packaged sample app as a child process: {@code bash -c 'ulimit -n N; exec java -Xmx256m -jar sample.jar ...'}
 * (so the JVM itself runs under the descriptor limit and {@link #pid()} is the JVM's), every port given explicitly,
 * the log captured to a file. {@link #start} returns once the HTTP health endpoint answers and every TCP handle
 * accepts a connection, or fails after a bounded wait with the log's tail. {@link #close} kills what is left.
 */
final class SampleProcess implements AutoCloseable {

    /** The password the harness gives the sample's {@code admin} user. */
    static final String PASSWORD = "chaos-harness";

    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final Path log;
    private final SamplePorts ports;

    private SampleProcess(Process process, Path log, SamplePorts ports) {
        this.process = process;
        this.log = log;
        this.ports = ports;
    }

    /**
     * Starts the sample and waits until it is ready.
     *
     * @param jar         the packaged sample jar
     * @param log         where its stdout and stderr go (replaced)
     * @param ports       its ports
     * @param fileLimit   its {@code ulimit -n}
     * @param heap        its {@code -Xmx}, e.g. {@code 256m}
     * @param extraArgs   more Spring Boot arguments, e.g. {@code --async-io.handles.echo.read-timeout=2s}
     * @return the ready process
     * @throws IOException when it cannot start, exits, or is not ready within two minutes
     */
    static SampleProcess start(Path jar, Path log, SamplePorts ports, int fileLimit, String heap,
            List<String> extraArgs) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", "-c", "ulimit -n \"$0\" && exec \"$@\"",
                Integer.toString(fileLimit), javaBinary(), "-Xmx" + heap, "-jar", jar.toString(),
                "--server.port=" + ports.http(),
                "--async-io.handles.echo.port=" + ports.echo(),
                "--async-io.handles.tls-echo.port=" + ports.tls(),
                "--async-io.handles.kv.port=" + ports.kv(),
                "--async-io.handles.frames.port=" + ports.frames(),
                "--sample.udp-echo.port=" + ports.udp(),
                "--sample.udp-echo.address=127.0.0.1",
                "--spring.security.user.password=" + PASSWORD));
        cmd.addAll(extraArgs);
        Files.createDirectories(log.toAbsolutePath().getParent());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        SampleProcess sample = new SampleProcess(p, log, ports);
        try {
            sample.awaitReady();
        } catch (IOException | RuntimeException e) {
            sample.close();
            throw e;
        }
        return sample;
    }

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    private void awaitReady() throws IOException {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IOException("the sample exited with " + process.exitValue() + " before it was ready; "
                        + "log tail:\n" + tail(30));
            }
            if (Probes.healthStatus(ports.http(), Duration.ofSeconds(2)) == 200 && accepts(ports.echo())
                    && accepts(ports.tls()) && accepts(ports.kv())) {
                return;
            }
            try {
                // Polling an external process that offers no readiness event: the pause bounds the poll rate.
                process.waitFor(250, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while waiting for the sample", e);
            }
        }
        throw new IOException("the sample was not ready within " + READY_TIMEOUT.toSeconds() + " s; log tail:\n"
                + tail(30));
    }

    private static boolean accepts(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 1000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** @return the JVM's process id */
    long pid() {
        return process.pid();
    }

    /** @return the ports it listens on */
    SamplePorts ports() {
        return ports;
    }

    /** @return the process */
    Process process() {
        return process;
    }

    /** @return the log file */
    Path logFile() {
        return log;
    }

    /** @return every line logged so far */
    List<String> logLines() {
        try {
            return Files.readAllLines(log, StandardCharsets.UTF_8);
        } catch (java.nio.charset.MalformedInputException e) {
            try {
                return List.of(new String(Files.readAllBytes(log), StandardCharsets.ISO_8859_1).split("\n"));
            } catch (IOException again) {
                throw new UncheckedIOException(again);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * @param from the first line to count (0 = the whole log)
     * @return ERROR/WARN counts of the log from that line on
     */
    LogLevelCounter logCounts(int from) {
        List<String> lines = logLines();
        return LogLevelCounter.count(lines.subList(Math.min(from, lines.size()), lines.size()));
    }

    /**
     * @param n how many lines
     * @return the log's last {@code n} lines
     */
    String tail(int n) {
        List<String> lines = logLines();
        return String.join("\n", lines.subList(Math.max(0, lines.size() - n), lines.size()));
    }

    /** Sends SIGTERM ({@link Process#destroy()} does on Unix). */
    void terminate() {
        process.destroy();
    }

    /**
     * @param timeout how long to wait
     * @return whether the process exited within it
     * @throws InterruptedException when interrupted
     */
    boolean awaitExit(Duration timeout) throws InterruptedException {
        return process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** Kills the process (SIGKILL) unless it already exited, and waits for it. */
    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
