package dev.asyncio.bench.server;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.WaitStateCollection;
import java.time.Duration;

/**
 * The async-io echo server: {@code --loops N} wait-state-collections (default 1, one loop thread each), each with an
 * accepting handle on the same port ({@code SO_REUSEPORT} when N &gt; 1, so the kernel spreads connections over the
 * listeners), echoing with {@link AsyncIoEcho} and one {@link EchoBufferPool} per collection.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.AsyncIoEchoServer --port 7000}
 */
public final class AsyncIoEchoServer {

    private AsyncIoEchoServer() {
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args see {@link ServerOptions}
     * @throws Exception when binding fails
     */
    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse(args, "checking");
        if (!options.mode().equals("checking")) {
            throw new IllegalArgumentException("--mode must be checking (readWithChecking + writeBuffer), got "
                    + options.mode());
        }
        AcceptOptions accept = AcceptOptions.builder()
                .address(options.address())
                .backlog(1024)
                .nodelay(true)
                .reusePort(options.loops() > 1)
                .queueOutput(true)
                .initTimeout(Duration.ZERO)
                .build();
        WaitStateCollection[] loops = new WaitStateCollection[options.loops()];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = WaitStateCollection.createAndRun("echo-" + i);
            EchoBufferPool pool = new EchoBufferPool(); // one per collection: only its loop thread touches it
            loops[i].acceptTcpConnections(options.port(), (handle, state) -> AsyncIoEcho.start(state, pool),
                    accept);
        }
        ControlPort.startIfRequested(options.controlPort());
        Ready.announce("async-io", options);
        loops[0].awaitTermination(Duration.ofDays(3650));
    }
}
