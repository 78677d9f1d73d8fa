package dev.asyncio.core;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A child JVM that runs a test main class on this test run's class path, with its standard output read line by line
 * (bounded waits) and its standard error kept in a file for failure messages. Closing it kills it if it still runs.
 */
final class ChildJvm implements AutoCloseable {
    static final long WAIT_SECONDS = 30;
    private static final String EOF = "\u0000eof";

    private final Process process;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final Path stderr;

    private ChildJvm(Process process, Path stderr) {
        this.process = process;
        this.stderr = stderr;
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(),
                    StandardCharsets.UTF_8))) {
                for (String line; (line = in.readLine()) != null; ) {
                    lines.add(line);
                }
            } catch (IOException ignored) {
                // The child died: EOF below tells the waiter.
            } finally {
                lines.add(EOF);
            }
        }, "child-stdout");
        reader.setDaemon(true);
        reader.start();
    }

    /** @return {@code java -cp <this class path> <jvmArgs> <main> <args>} */
    static List<String> javaCommand(Class<?> main, List<String> jvmArgs, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add("-Xshare:auto");
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.addAll(jvmArgs);
        cmd.add(main.getName());
        cmd.addAll(List.of(args));
        return cmd;
    }

    static ChildJvm start(List<String> command) throws IOException {
        Path err = Files.createTempFile("child-jvm", ".err");
        err.toFile().deleteOnExit();
        ProcessBuilder pb = new ProcessBuilder(command).redirectError(err.toFile());
        return new ChildJvm(pb.start(), err);
    }

    /** @return whether {@code tool} is an executable on the PATH */
    static boolean onPath(String tool) {
        for (String dir : System.getenv().getOrDefault("PATH", "").split(java.io.File.pathSeparator)) {
            if (Files.isExecutable(Path.of(dir, tool))) {
                return true;
            }
        }
        return false;
    }

    /** @return the child's next line of output, waiting at most 30 s; fails with its standard error otherwise */
    String nextLine() throws InterruptedException {
        String line = lines.poll(WAIT_SECONDS, TimeUnit.SECONDS);
        if (line == null || line.equals(EOF)) {
            throw new AssertionError((line == null ? "no line from the child within " + WAIT_SECONDS + " s"
                    : "the child ended its output") + "; its stderr:\n" + stderr());
        }
        return line;
    }

    /** @return the child's exit code, waiting at most 30 s for it to end */
    int awaitExit() throws InterruptedException {
        if (!process.waitFor(WAIT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError("the child did not end within " + WAIT_SECONDS + " s; its stderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /**
     * @param line written to the child's standard input, with a newline
     * @throws IOException if the child's input is closed
     */
    void send(String line) throws IOException {
        process.getOutputStream().write((line + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().flush();
    }

    String stderr() {
        try {
            return Files.readString(stderr);
        } catch (IOException e) {
            return "(unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws IOException {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
        Files.deleteIfExists(stderr);
    }
}
