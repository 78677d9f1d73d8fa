package dev.asyncio.core.tls;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * An {@code openssl} command line run as a child process, its output (stdout and stderr merged) collected line by
 * line on a daemon thread so tests can wait for a line with a bound. Closing destroys the process.
 */
final class OpensslProcess implements AutoCloseable {

    private final Process process;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer transcript = new StringBuffer();
    private final Thread reader;

    private OpensslProcess(Process process) {
        this.process = process;
        this.reader = new Thread(this::pump, "openssl-output");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return whether an {@code openssl} binary answers {@code openssl version} */
    static boolean available() {
        try {
            Process p = new ProcessBuilder("openssl", "version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0;
        } catch (IOException e) {
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Starts {@code openssl args...}. */
    static OpensslProcess start(String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add("openssl");
        command.addAll(List.of(args));
        return new OpensslProcess(new ProcessBuilder(command).redirectErrorStream(true).start());
    }

    /** Runs {@code openssl args...} to completion and returns its output; fails if it does not exit 0. */
    static String run(Duration timeout, String... args) throws Exception {
        try (OpensslProcess p = start(args)) {
            p.process.getOutputStream().close();
            int exit = p.waitFor(timeout);
            if (exit != 0) {
                throw new IllegalStateException("openssl " + String.join(" ", args) + " exited with " + exit + ":\n"
                        + p.transcript());
            }
            return p.transcript();
        }
    }

    private void pump() {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                transcript.append(line).append('\n');
                lines.add(line);
            }
        } catch (IOException e) {
            transcript.append("[output closed: ").append(e).append("]\n");
        }
    }

    /** @return the first line (not yet taken) that matches, or {@code null} if none came within {@code timeout} */
    String awaitLine(Predicate<String> matching, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (long left = timeout.toNanos(); left > 0; left = deadline - System.nanoTime()) {
            String line = lines.poll(left, TimeUnit.NANOSECONDS);
            if (line != null && matching.test(line)) {
                return line;
            }
        }
        return null;
    }

    /** Writes {@code text} to the process's standard input; {@code closeAfter} then closes it. */
    void send(String text, boolean closeAfter) throws IOException {
        process.getOutputStream().write(text.getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
        if (closeAfter) {
            process.getOutputStream().close();
        }
    }

    /** @return the exit code, after waiting up to {@code timeout} (and the rest of the output) */
    int waitFor(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new IllegalStateException("openssl did not exit within " + timeout + ":\n" + transcript());
        }
        reader.join(timeout.toMillis());
        return process.exitValue();
    }

    /** @return everything the process printed so far */
    String transcript() {
        return transcript.toString();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
