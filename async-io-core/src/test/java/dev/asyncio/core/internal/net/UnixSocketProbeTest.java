package dev.asyncio.core.internal.net;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The probe that decides whether a socket file may be taken over: only a refused connect means stale; a full
 * backlog is live and answered at once; every other failure is unknown (the file must stay).
 */
class UnixSocketProbeTest {

    @TempDir
    Path dir;

    @Test
    void onlyARefusedConnectMakesAFileStale() {
        assertThat(UnixSocketProbe.classify(new ConnectException("Connection refused"), true).outcome())
                .isEqualTo(UnixSocketProbe.Outcome.STALE);
        // EACCES comes as a BindException from the JDK: someone else's socket, maybe live.
        UnixSocketProbe.Result denied = UnixSocketProbe.classify(new BindException("Permission denied"), true);
        assertThat(denied.outcome()).isEqualTo(UnixSocketProbe.Outcome.UNKNOWN);
        assertThat(denied.reason()).contains("Permission denied").contains("left alone");
        assertThat(UnixSocketProbe.classify(new SocketException("Protocol wrong type for socket"), true).outcome())
                .isEqualTo(UnixSocketProbe.Outcome.UNKNOWN);
        assertThat(UnixSocketProbe.classify(new IOException((String) null), true).outcome())
                .isEqualTo(UnixSocketProbe.Outcome.UNKNOWN);
        assertThat(UnixSocketProbe.classify(new SocketException("Resource temporarily unavailable"), true)
                .outcome()).isEqualTo(UnixSocketProbe.Outcome.LIVE);
        assertThat(UnixSocketProbe.classify(new SocketException("No such file or directory"), false).outcome())
                .isEqualTo(UnixSocketProbe.Outcome.GONE);
    }

    @Test
    void aLiveServerWithAFullBacklogIsLiveAndTheProbeDoesNotWait() throws Exception {
        Path path = dir.resolve("full.sock");
        List<SocketChannel> queued = new ArrayList<>();
        try (ServerSocketChannel stuck = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            stuck.bind(UnixDomainSocketAddress.of(path), 1);
            dev.asyncio.core.testing.UnixBacklog.fill(path, queued);
            CompletableFuture<UnixSocketProbe.Result> probe = CompletableFuture.supplyAsync(
                    () -> UnixSocketProbe.probe(path), daemonExecutor());
            assertThat(probe.get(10, TimeUnit.SECONDS).outcome()).isEqualTo(UnixSocketProbe.Outcome.LIVE);
        } finally {
            for (SocketChannel c : queued) {
                c.close();
            }
        }
    }

    @Test
    void aClosedServersFileIsStaleAndAMissingOneGone() throws Exception {
        Path path = dir.resolve("dead.sock");
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(path));
        }
        assertThat(UnixSocketProbe.probe(path).outcome()).isEqualTo(UnixSocketProbe.Outcome.STALE);
        assertThat(UnixSocketProbe.probe(dir.resolve("missing.sock")).outcome())
                .isEqualTo(UnixSocketProbe.Outcome.GONE);
    }


    /** A blocked probe (the old code) must not keep the test JVM alive. */
    static java.util.concurrent.Executor daemonExecutor() {
        return r -> {
            Thread t = new Thread(r, "probe");
            t.setDaemon(true);
            t.start();
        };
    }
}
