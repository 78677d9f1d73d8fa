package dev.asyncio.bench.framed;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;

import java.time.Duration;

/**
 * The async-io framed echo server: one collection, one accepting handle, {@link AsyncIoFramedEcho} on every
 * connection (4-byte big-endian length prefix, at most 1 MiB per frame). Prints one {@code READY} line with the port.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.framed.AsyncIoFramedEchoServer --port 7002}
 */
public final class AsyncIoFramedEchoServer {

    /** Capacity of the pooled direct buffers each echoed payload is copied into (a bigger frame gets its own). */
    static final int POOLED_BUFFER = 2048;

    private AsyncIoFramedEchoServer() {
    }

    /**
     * Starts the server.
     *
     * @param options where to listen
     * @return the running handle (its collection runs on its own daemon thread)
     * @throws java.io.IOException if binding fails
     */
    public static AcceptingHandle start(FramedOptions options) throws java.io.IOException {
        // Enough pooled buffers for every frame in flight of a few hundred pipelined connections.
        WaitStateCollection collection = WaitStateCollection.builder("framed-echo").daemon(true)
                .bufferPool(POOLED_BUFFER, 16_384).createAndRun();
        return collection.acceptTcpConnections(options.port(), (h, state) -> AsyncIoFramedEcho.start(state),
                AcceptOptions.builder().address(options.address()).backlog(1024).queueOutput(true)
                        .initTimeout(Duration.ZERO).build());
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --port N [--address A]}
     * @throws Exception when binding fails
     */
    public static void main(String[] args) throws Exception {
        FramedOptions options = FramedOptions.parse(args, false);
        AcceptingHandle handle = start(options);
        System.out.println("READY async-io-framed port=" + handle.localPort() + " pid=" + ProcessHandle.current().pid()
                + " java=" + Runtime.version());
        System.out.flush();
        Thread.currentThread().join();
    }
}
