package dev.asyncio.sample.testing;

import static org.awaitility.Awaitility.await;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;

/**
 * The packaged sample jar running as a separate process on ephemeral ports (every port 0, loopback only), with a
 * random admin password. The ports are read from the application's start-up line
 * {@code async-io sample ready: http=… echo=… kv=…}.
 */
public final class SampleProcess implements AutoCloseable {

    private static final Pattern READY = Pattern.compile("async-io sample ready: http=(\\d+)((?: \\S+=-?\\d+)*)");

    /** The drain bound given to the process; the shutdown test checks the exit against it. */
    public static final Duration SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(10);

    private final Process process;
    private final String password = UUID.randomUUID().toString();
    private final Path logFile;
    private volatile int httpPort;
    private final Map<String, Integer> ports = new HashMap<>();

    private SampleProcess(Path jar) throws IOException {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        List<String> command = new ArrayList<>(List.of(java, "-XX:TieredStopAtLevel=1", "-Xmx256m", "-jar",
                jar.toString(),
                "--server.port=0", "--server.address=127.0.0.1",
                "--async-io.handles.echo.port=0", "--async-io.handles.echo.address=127.0.0.1",
                // No kv address and no password: protected mode must bind kv to loopback by itself.
                "--async-io.handles.kv.port=0",
                "--async-io.handles.tls-echo.port=0", "--async-io.handles.tls-echo.address=127.0.0.1",
                "--async-io.handles.frames.port=0", "--async-io.handles.frames.address=127.0.0.1",
                "--async-io.handles.kv-proxy.port=0",
                "--sample.udp-echo.port=0", "--sample.udp-echo.address=127.0.0.1",
                "--spring.security.user.password=" + password,
                "--spring.lifecycle.timeout-per-shutdown-phase=" + SHUTDOWN_PHASE_TIMEOUT.toSeconds() + "s",
                "--spring.main.banner-mode=off"));
        // The log goes to a file: reading a pipe while the JDK drains it at process exit can lose the last lines.
        // It stays in target/ for a post-mortem.
        logFile = jar.toAbsolutePath().getParent().resolve("sample-it-" + ProcessHandle.current().pid() + "-"
                + System.nanoTime() + ".log");
        process = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(logFile.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
    }

    /**
     * Starts the jar named by the system property {@code sample.jar} (set by Maven) and waits until it is ready.
     *
     * @return the running process
     * @throws Exception if it does not start or does not get ready within 120 s
     */
    public static SampleProcess start() throws Exception {
        String jar = System.getProperty("sample.jar");
        if (jar == null || !new File(jar).isFile()) {
            throw new IllegalStateException("system property sample.jar must name the packaged jar, got " + jar
                    + " (run through 'mvn verify')");
        }
        SampleProcess p = new SampleProcess(Path.of(jar));
        try {
            await().atMost(120, TimeUnit.SECONDS).pollInterval(Duration.ofMillis(200))
                    .until(() -> p.parseReadyLine() || !p.process.isAlive());
        } catch (ConditionTimeoutException e) {
            p.close();
            throw new IllegalStateException("sample did not get ready within 120 s; log:\n" + p.log(), e);
        }
        if (p.httpPort == 0) {
            p.close();
            throw new IllegalStateException("sample exited before it was ready; log:\n" + p.log());
        }
        return p;
    }

    private boolean parseReadyLine() {
        Matcher m = READY.matcher(log());
        if (!m.find()) {
            return false;
        }
        for (String pair : m.group(2).trim().split(" ")) {
            String[] kv = pair.split("=");
            ports.put(kv[0], Integer.parseInt(kv[1]));
        }
        httpPort = Integer.parseInt(m.group(1));
        return true;
    }

    /** @return the HTTP (and actuator) port */
    public int httpPort() {
        return httpPort;
    }

    /** @return {@code http://127.0.0.1:<port>} */
    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** @param handle a handle name @return the port it listens on */
    public int port(String handle) {
        Integer port = ports.get(handle);
        if (port == null) {
            throw new IllegalArgumentException("no handle " + handle + " in " + ports);
        }
        return port;
    }

    /** @return the admin user's name */
    public String user() {
        return "admin";
    }

    /** @return the admin user's password */
    public String password() {
        return password;
    }

    /** @return the value of an {@code Authorization} header for the admin */
    public String basicAuth() {
        byte[] credentials = (user() + ":" + password).getBytes(StandardCharsets.UTF_8);
        return "Basic " + Base64.getEncoder().encodeToString(credentials);
    }

    /** @return the process */
    public Process process() {
        return process;
    }

    /** @return everything the process printed so far */
    public String log() {
        try {
            return Files.readString(logFile, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "[log unreadable: " + e + "]";
        }
    }

    /** Sends SIGTERM (on Unix {@link Process#destroy()} does). */
    public void terminate() {
        process.destroy();
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
            try {
                process.waitFor(20, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
