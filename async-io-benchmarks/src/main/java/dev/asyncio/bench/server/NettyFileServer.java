package dev.asyncio.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.DuplexChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import java.nio.file.Path;

/**
 * The Netty 4.2 file server of the sendFile benchmark, the way Netty's own file server example sends a file without
 * TLS: on {@code channelActive}, {@code writeAndFlush(new DefaultFileRegion(file, 0, length))} (zero copy:
 * {@code FileChannel.transferTo} on NIO, {@code sendfile(2)} on epoll; no SSL handler, which would force
 * {@code ChunkedFile}), and once the write completes a {@code shutdownOutput}, so the client reads to EOF; the
 * channel closes when the client does (half-closure is off, Netty's default). {@code --mode nio} (default) or
 * {@code epoll}, one event loop.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.NettyFileServer --port 7000 --file F}
 */
public final class NettyFileServer {

    private NettyFileServer() {
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --file PATH} and the options of {@link ServerOptions}
     * @throws Exception when binding fails or epoll is unavailable
     */
    public static void main(String[] args) throws Exception {
        FileServerOptions options = FileServerOptions.parse(args, "nio");
        ServerOptions server = options.server();
        Channel channel = bind(server.mode(), server.loops(), server.address(), server.port(), options.file());
        ControlPort.startIfRequested(server.controlPort());
        Ready.announce("netty-file", server);
        channel.closeFuture().sync();
    }

    /**
     * Starts an event loop group and listens.
     *
     * @param mode {@code nio} or {@code epoll}
     * @param loops event loops
     * @param address the address to bind
     * @param port the port, 0 for an ephemeral one
     * @param file the file sent to every connection
     * @return the server channel; closing it and shutting down {@code channel.eventLoop().parent()} stops the server
     * @throws InterruptedException when interrupted while binding
     * @throws IllegalArgumentException for an unknown mode
     */
    public static Channel bind(String mode, int loops, String address, int port, Path file)
            throws InterruptedException {
        boolean epoll = switch (mode) {
            case "nio" -> false;
            case "epoll" -> true;
            default -> throw new IllegalArgumentException("--mode must be nio or epoll, got " + mode);
        };
        if (epoll) {
            Epoll.ensureAvailability();
        }
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(loops, factory);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(new FileHandler(file));
        return bootstrap.bind(address, port).sync().channel();
    }

    /** Sends the file on connect, then half-closes; one instance serves all channels. */
    @ChannelHandler.Sharable
    static final class FileHandler extends ChannelInboundHandlerAdapter {
        private final java.io.File file;
        private final long length;

        FileHandler(Path file) {
            this.file = file.toFile();
            this.length = this.file.length();
        }

        @Override
        public void channelActive(ChannelHandlerContext ctx) {
            // The File constructor opens the file lazily, per region: DefaultFileRegion closes its channel when
            // released, so regions must not share one.
            ChannelFuture sent = ctx.writeAndFlush(new DefaultFileRegion(file, 0, length));
            sent.addListener(f -> {
                if (f.isSuccess()) {
                    ((DuplexChannel) ctx.channel()).shutdownOutput();
                } else {
                    ctx.close();
                }
            });
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
