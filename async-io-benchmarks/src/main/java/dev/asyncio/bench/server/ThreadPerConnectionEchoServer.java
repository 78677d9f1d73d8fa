package dev.asyncio.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.InvocationTargetException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.concurrent.ThreadFactory;

/**
 * The blocking baseline: {@code java.net} sockets, one thread per connection, 64 KiB buffer.
 * {@code --mode platform} (default) starts a platform thread per connection; {@code --mode virtual} a virtual thread,
 * which needs Java 21+ (the module is compiled for release 17, so the virtual-thread factory is looked up
 * reflectively; on Java 17 the server refuses to start with a message saying so).
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.ThreadPerConnectionEchoServer --port 7000}
 */
public final class ThreadPerConnectionEchoServer {

    private static final int BUFFER = 64 * 1024;

    private ThreadPerConnectionEchoServer() {
    }

    /**
     * Accepts on the main thread until the process is killed.
     *
     * @param args see {@link ServerOptions}
     * @throws Exception when binding fails, or virtual threads are asked for on Java &lt; 21
     */
    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse(args, "platform");
        ThreadFactory threads = switch (options.mode()) {
            case "platform" -> r -> {
                Thread t = new Thread(r, "echo-connection");
                t.setDaemon(true);
                return t;
            };
            case "virtual" -> virtualThreadFactory();
            default -> throw new IllegalArgumentException("--mode must be platform or virtual, got " + options.mode());
        };
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(options.address(), options.port()), 1024);
            ControlPort.startIfRequested(options.controlPort());
            Ready.announce("threads", options);
            while (true) {
                Socket socket = server.accept();
                socket.setTcpNoDelay(true);
                threads.newThread(() -> echo(socket)).start();
            }
        }
    }

    private static void echo(Socket socket) {
        byte[] buffer = new byte[BUFFER];
        try (socket; InputStream in = socket.getInputStream(); OutputStream out = socket.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) > 0) {
                out.write(buffer, 0, n);
            }
        } catch (IOException e) {
            // a peer that resets mid-benchmark just ends its connection
        }
    }

    /** {@code Thread.ofVirtual().factory()}, looked up reflectively so this class compiles for release 17. */
    static ThreadFactory virtualThreadFactory() {
        if (Runtime.version().feature() < 21) {
            throw new IllegalStateException("--mode virtual needs Java 21 or newer, this is Java " + Runtime.version());
        }
        try {
            Object builder = Thread.class.getMethod("ofVirtual").invoke(null);
            Class<?> builderType = Class.forName("java.lang.Thread$Builder");
            builderType.getMethod("name", String.class).invoke(builder, "echo-connection");
            return (ThreadFactory) builderType.getMethod("factory").invoke(builder);
        } catch (ReflectiveOperationException e) {
            Throwable cause = e instanceof InvocationTargetException ite ? ite.getCause() : e;
            throw new IllegalStateException("cannot create virtual threads: " + cause, cause);
        }
    }
}
