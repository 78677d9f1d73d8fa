package dev.asyncio.bench.server;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;
import java.nio.file.Path;
import java.time.Duration;

/**
 * The async-io file server of the sendFile benchmark: one wait-state-collection; every accepted connection gets the
 * whole {@code --file}, then a graceful close (the client reads to EOF). {@code --mode sendfile} (default) sends it with
 * {@code sendFile} ({@link AsyncIoFileSend}: {@code FileChannel.transferTo}, zero copy); {@code --mode copy} reads it
 * into direct buffers and writes those ({@link AsyncIoFileCopy}: the ordinary path, the yardstick); {@code --mode tls}
 * is {@code sendFile} over TLS (chunked through the engine), presenting the key of {@code --keystore PATH}
 * ({@link BenchTls}).
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.AsyncIoFileServer --port 7000 --file F}
 */
public final class AsyncIoFileServer {

    private AsyncIoFileServer() {
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --file PATH}, {@code --keystore PATH} for TLS, and the options of {@link ServerOptions}
     *        ({@code --loops} must be 1)
     * @throws Exception when binding fails or the TLS key store cannot be loaded
     */
    public static void main(String[] args) throws Exception {
        FileServerOptions options = FileServerOptions.parse(args, "sendfile");
        ServerOptions server = options.server();
        if (server.loops() != 1) {
            throw new IllegalArgumentException("the file server runs one collection; --loops must be 1");
        }
        TlsOptions tls = null;
        if (server.mode().equals("tls")) {
            if (options.keystore() == null) {
                throw new IllegalArgumentException("--mode tls needs --keystore PATH (a PKCS#12 key store)");
            }
            tls = TlsOptions.builder().context(BenchTls.server(options.keystore())).build();
        }
        WaitStateCollection loop = WaitStateCollection.createAndRun("file-server");
        bind(loop, server.address(), server.port(), server.mode(), options.file(), tls);
        ControlPort.startIfRequested(server.controlPort());
        Ready.announce("async-io-file", server);
        loop.awaitTermination(Duration.ofDays(3650));
    }

    /**
     * Listens on {@code port} and serves {@code file} to every connection.
     *
     * @param loop the collection that accepts and serves
     * @param address the address to bind
     * @param port the port, 0 for an ephemeral one
     * @param mode {@code sendfile}, {@code copy} or {@code tls}
     * @param file the file to send
     * @param tls the server's TLS options for {@code tls}, else ignored
     * @return the accepting handle (its {@code localPort()} is the port)
     * @throws IllegalArgumentException for an unknown mode, or {@code tls} without TLS options
     */
    public static AcceptingHandle bind(WaitStateCollection loop, String address, int port, String mode, Path file,
            TlsOptions tls) {
        AcceptOptions.Builder accept = AcceptOptions.builder()
                .address(address)
                .backlog(1024)
                .nodelay(true)
                .queueOutput(true)
                .initTimeout(Duration.ZERO);
        return switch (mode) {
            case "sendfile" -> loop.acceptTcpConnections(port,
                    (handle, state) -> AsyncIoFileSend.start(state, file, AsyncIoFileSend.MAX_CHUNK), accept.build());
            case "copy" -> loop.acceptTcpConnections(port, (handle, state) -> AsyncIoFileCopy.start(state, file),
                    accept.build());
            case "tls" -> {
                if (tls == null) {
                    throw new IllegalArgumentException("--mode tls needs TLS options");
                }
                // The connection function runs once the handshake is done: the file goes out encrypted.
                yield loop.acceptTcpConnections(port,
                        (handle, state) -> AsyncIoFileSend.start(state, file, AsyncIoFileSend.MAX_CHUNK),
                        accept.tls(tls).build());
            }
            default -> throw new IllegalArgumentException("--mode must be sendfile, copy or tls, got " + mode);
        };
    }
}
