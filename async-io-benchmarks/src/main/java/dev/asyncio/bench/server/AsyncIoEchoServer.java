package dev.asyncio.bench.server;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;
import java.time.Duration;
import java.util.Arrays;

/**
 * The async-io echo server: {@code --loops N} wait-state-collections (default 1, one loop thread each) echoing with
 * {@link AsyncIoEcho} and one {@link EchoBufferPool} per collection. With N &gt; 1, {@code --mode reuseport} (default)
 * gives every collection its own accepting handle on the same port ({@code SO_REUSEPORT}: the kernel spreads the
 * connections), {@code --mode spread} has one handle that hands accepted connections round-robin to all collections
 * ({@code AcceptOptions.spreadOver}). {@code -Dbench.echo=direct} echoes with {@link AsyncIoDirectEcho} (pooled
 * direct buffers, no copy) instead; {@code -Dbench.unix=PATH} also listens on a Unix domain socket.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.AsyncIoEchoServer --port 7000}
 */
public final class AsyncIoEchoServer {

    /** {@code -Dbench.echo=direct}: echo through pooled direct buffers ({@link AsyncIoDirectEcho}), not arrays. */
    private static final boolean DIRECT = "direct".equals(System.getProperty("bench.echo"));

    private AsyncIoEchoServer() {
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args see {@link ServerOptions}
     * @throws Exception when binding fails
     */
    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse(args, "reuseport");
        boolean spread = switch (options.mode()) {
            case "reuseport" -> false;
            case "spread" -> true;
            default -> throw new IllegalArgumentException("--mode must be reuseport or spread, got " + options.mode());
        };
        WaitStateCollection[] loops = new WaitStateCollection[options.loops()];
        EchoBufferPool[] pools = new EchoBufferPool[loops.length];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = WaitStateCollection.createAndRun("echo-" + i);
            pools[i] = new EchoBufferPool(); // one per collection: only its loop thread touches it
        }
        AcceptOptions.Builder accept = AcceptOptions.builder()
                .address(options.address())
                .backlog(1024)
                .nodelay(true)
                .queueOutput(true)
                .initTimeout(Duration.ZERO);
        if (spread && loops.length > 1) {
            accept.spreadOver(Arrays.asList(loops));
            loops[0].acceptTcpConnections(options.port(), (handle, state) -> start(state, loops, pools),
                    accept.build());
        } else {
            accept.reusePort(loops.length > 1);
            for (WaitStateCollection loop : loops) {
                loop.acceptTcpConnections(options.port(), (handle, state) -> start(state, loops, pools),
                        accept.build());
            }
        }
        String unix = System.getProperty("bench.unix");
        if (unix != null) {
            // The same echo on a Unix domain socket too, for the Unix vs TCP comparison (issue 11).
            loops[0].acceptUnixConnections(java.nio.file.Path.of(unix), (handle, state) -> start(state, loops, pools),
                    AcceptOptions.builder().backlog(1024).queueOutput(true).build());
        }
        ControlPort.startIfRequested(options.controlPort());
        Ready.announce("async-io", options);
        loops[0].awaitTermination(Duration.ofDays(3650));
    }

    /** Starts the echo with the pool of the collection the state belongs to (a handful of collections at most). */
    private static void start(AsyncIoState state, WaitStateCollection[] loops, EchoBufferPool[] pools) {
        WaitStateCollection own = state.collection();
        for (int i = 0; i < loops.length; i++) {
            if (loops[i] == own) {
                if (DIRECT) {
                    AsyncIoDirectEcho.start(state);
                } else {
                    AsyncIoEcho.start(state, pools[i]);
                }
                return;
            }
        }
        throw new IllegalStateException(state + " belongs to no collection of this server");
    }
}
