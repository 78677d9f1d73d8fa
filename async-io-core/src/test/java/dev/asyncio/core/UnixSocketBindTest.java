package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Binding and freeing a Unix domain socket path: a live server with a full backlog is refused at once (no hang, on
 * the loop thread either), a socket file the probe cannot reach is left alone, {@code close()} frees the path before
 * it returns without handing probe connections to the closing handle, and closing never removes another server's
 * file.
 */
class UnixSocketBindTest {

    private static final long WAIT = 10;

    private WaitStateCollection collection;

    @TempDir
    Path dir;

    @BeforeEach
    void start() {
        collection = WaitStateCollection.builder("unix-bind").daemon(true).createAndRun();
    }

    @AfterEach
    void stop() {
        collection.close();
    }

    private static Object fileKey(Path path) throws IOException {
        return Files.readAttributes(path, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).fileKey();
    }

    private static void daemon(Runnable r) {
        Thread t = new Thread(r, "binder");
        t.setDaemon(true);
        t.start();
    }


    @Test
    void aLiveServerWithAFullBacklogIsRefusedAtOnceOffAndOnTheLoop() throws Exception {
        Path path = dir.resolve("busy.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel stuck = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.bind(UnixDomainSocketAddress.of(path), 1);
            Object key = fileKey(path);
            dev.asyncio.core.testing.UnixBacklog.fill(path, queued);

            CompletableFuture<Throwable> offLoop = new CompletableFuture<>();
            daemon(() -> offLoop.complete(bindFailure(path)));
            assertThat(offLoop.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(BindFailedException.class)
                    .hasMessageContaining(path.toString()).hasMessageContaining("live server")
                    .satisfies(e -> assertThat(((BindFailedException) e).unixProblem())
                            .isEqualTo(UnixBindProblem.LIVE_SERVER));

            CompletableFuture<Throwable> onLoop = new CompletableFuture<>();
            collection.execute(() -> onLoop.complete(bindFailure(path)));
            assertThat(onLoop.get(WAIT, TimeUnit.SECONDS)).isInstanceOf(BindFailedException.class);
            assertThat(fileKey(path)).as("the live server's file is kept").isEqualTo(key);
        } finally {
            for (SocketChannel c : queued) {
                c.close();
            }
        }
    }

    private Throwable bindFailure(Path path) {
        try {
            collection.acceptUnixConnections(path, (h, s) -> s.close(), AcceptOptions.DEFAULTS).close();
            return null;
        } catch (RuntimeException e) {
            return e;
        }
    }

    @Test
    void closeOnTheLoopFreesThePathForABindInTheSameTask() throws Exception {
        Path path = dir.resolve("again.sock");
        AtomicInteger connections = new AtomicInteger();
        ConnectionFunction counting = (h, s) -> {
            connections.incrementAndGet();
            s.close();
        };
        AcceptingHandle first = collection.acceptUnixConnections(path, counting, AcceptOptions.DEFAULTS);
        CompletableFuture<String> rebound = new CompletableFuture<>();
        collection.execute(() -> {
            first.close();
            boolean fileLeft = Files.exists(path, LinkOption.NOFOLLOW_LINKS);
            try {
                AcceptingHandle second = collection.acceptUnixConnections(path, counting, AcceptOptions.DEFAULTS);
                rebound.complete("file left " + fileLeft + ", bound " + second.isOpen());
            } catch (RuntimeException e) {
                rebound.complete("file left " + fileLeft + ", " + e.getMessage());
            }
        });
        assertThat(rebound.get(WAIT, TimeUnit.SECONDS)).isEqualTo("file left false, bound true");
        // Let the loop run the closed handle's close task and serve a real client of the new handle.
        try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
            org.awaitility.Awaitility.await().atMost(WAIT, TimeUnit.SECONDS).until(() -> connections.get() >= 1);
        }
        assertThat(connections.get()).as("only the real client, no probe, reached a connection function")
                .isEqualTo(1);
    }

    @Test
    void closeFromAnotherThreadFreesThePathBeforeItReturns() throws Exception {
        Path path = dir.resolve("fast.sock");
        AtomicInteger connections = new AtomicInteger();
        ConnectionFunction counting = (h, s) -> {
            connections.incrementAndGet();
            s.close();
        };
        AcceptingHandle handle = collection.acceptUnixConnections(path, counting, AcceptOptions.DEFAULTS);
        for (int i = 0; i < 50; i++) {
            handle.close();
            assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).as("file after close() #" + i).isFalse();
            handle = collection.acceptUnixConnections(path, counting, AcceptOptions.DEFAULTS);
        }
        CompletableFuture<Void> closed = new CompletableFuture<>();
        handle.close(c -> closed.complete(null));
        closed.get(WAIT, TimeUnit.SECONDS);
        assertThat(connections.get()).as("probe connections handed to closing handles").isZero();
    }

    @Test
    void closingLeavesAnotherServersFileAtThePathAlone() throws Exception {
        Path path = dir.resolve("shared.sock");
        AcceptingHandle ours = collection.acceptUnixConnections(path, (h, s) -> s.close(), AcceptOptions.DEFAULTS);
        // Someone removes our file and binds their own server on the path.
        Files.delete(path);
        try (ServerSocketChannel theirs = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            theirs.bind(UnixDomainSocketAddress.of(path));
            Object key = fileKey(path);
            CompletableFuture<Void> closed = new CompletableFuture<>();
            ours.close(c -> closed.complete(null));
            closed.get(WAIT, TimeUnit.SECONDS);
            assertThat(Files.exists(path, LinkOption.NOFOLLOW_LINKS)).as("their file").isTrue();
            assertThat(fileKey(path)).isEqualTo(key);
            try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                assertThat(client.isConnected()).isTrue();
            }
        }
    }

    @Test
    void anEmptyPathAndAnOrdinaryFileAreRefusedWithTheirReason() throws Exception {
        assertThatThrownBy(() -> collection.acceptUnixConnections(Path.of(""), (h, s) -> s.close(),
                AcceptOptions.DEFAULTS)).isInstanceOf(BindFailedException.class)
                .hasMessageContaining("the path is empty")
                .satisfies(e -> assertThat(((BindFailedException) e).unixProblem())
                        .isEqualTo(UnixBindProblem.EMPTY_PATH));
        Path ordinary = Files.writeString(dir.resolve("data.txt"), "keep me");
        assertThatThrownBy(() -> collection.acceptUnixConnections(ordinary, (h, s) -> s.close(),
                AcceptOptions.DEFAULTS)).isInstanceOf(BindFailedException.class)
                .satisfies(e -> assertThat(((BindFailedException) e).unixProblem())
                        .isEqualTo(UnixBindProblem.NOT_A_SOCKET));
        assertThatThrownBy(() -> collection.acceptUnixConnections(dir.resolve("no-dir/x.sock"), (h, s) -> s.close(),
                AcceptOptions.DEFAULTS)).isInstanceOf(BindFailedException.class)
                .satisfies(e -> assertThat(((BindFailedException) e).unixProblem())
                        .isEqualTo(UnixBindProblem.BIND_FAILED));
    }

    /**
     * A live server's socket file that another user may not connect to (mode 0700, in a directory everyone may
     * write): a bind by that user must be refused, naming the path and "Permission denied", and the file kept.
     * Root bypasses permissions, so the binder is a child JVM run as {@code nobody} through {@code setpriv}.
     */
    @Test
    void aSocketFileTheProbeMayNotReachIsLeftAlone() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")),
                "needs root to run a child JVM as another user (nobody); skipped");
        Assumptions.assumeTrue(ChildJvm.onPath("setpriv"), "needs setpriv (util-linux) to run as nobody; skipped");
        // The child cannot read the test's own (root's) temp dirs or local repository: a world-readable copy of
        // the class directories in a world-writable directory of its own.
        Path shared = Files.createTempDirectory("unix-perm");
        try {
            Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
            Path path = shared.resolve("root-only.sock");
            try (ServerSocketChannel live = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
                live.bind(UnixDomainSocketAddress.of(path));
                Files.setPosixFilePermissions(path, PosixFilePermissions.fromString("rwx------"));
                Object key = fileKey(path);
                List<String> command = new ArrayList<>(List.of("setpriv", "--reuid=65534", "--regid=65534",
                        "--clear-groups"));
                command.addAll(ChildJvm.javaCommand(UnixBindChild.class, List.of("-XX:-UsePerfData",
                        "-Djava.io.tmpdir=" + shared), path.toString()));
                replaceClassPath(command, shared);
                String line;
                try (ChildJvm child = ChildJvm.start(command)) {
                    line = child.nextLine();
                    child.awaitExit();
                }
                assertThat(line).startsWith("REFUSED UNKNOWN_OWNER").contains(path.toString())
                        .contains("Permission denied");
                assertThat(fileKey(path)).as("the live server's file is kept").isEqualTo(key);
                try (SocketChannel client = SocketChannel.open(UnixDomainSocketAddress.of(path))) {
                    assertThat(client.isConnected()).isTrue();
                }
            }
        } finally {
            try (Stream<Path> files = Files.walk(shared)) {
                for (Path p : files.sorted(Comparator.reverseOrder()).collect(Collectors.toList())) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Points the command's {@code -cp} at copies of this run's class directories (the child needs core only). */
    private static void replaceClassPath(List<String> command, Path shared) throws IOException {
        List<String> copies = new ArrayList<>();
        int n = 0;
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            Path from = Path.of(entry);
            if (Files.isRegularFile(from) && from.getFileName().toString().startsWith("async-io-")) {
                // async-io-native runs this test with the core (and its tests) as jars, not directories.
                Path to = shared.resolve("cp" + n++ + ".jar");
                Files.copy(from, to);
                Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
                copies.add(to.toString());
                continue;
            }
            if (!Files.isDirectory(from)) {
                continue;
            }
            Path to = shared.resolve("cp" + n++);
            try (Stream<Path> files = Files.walk(from)) {
                for (Path p : files.collect(Collectors.toList())) {
                    Path target = to.resolve(from.relativize(p).toString());
                    if (Files.isDirectory(p)) {
                        Files.createDirectories(target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                    } else {
                        Files.copy(p, target);
                        Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-r--r--"));
                    }
                }
            }
            copies.add(to.toString());
        }
        int cp = command.indexOf("-cp");
        command.set(cp + 1, String.join(File.pathSeparator, copies));
    }
}
