package dev.asyncio.bench.server;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.uring.IoUring;
import io.netty.channel.uring.IoUringIoHandler;
import io.netty.channel.uring.IoUringServerSocketChannel;

/**
 * Netty 4.2 echo server as Netty's own example writes it: write on {@code channelRead}, flush on
 * {@code channelReadComplete}. {@code --mode nio} (default) uses {@link NioIoHandler}, {@code --mode epoll} the native
 * {@link EpollIoHandler}, {@code --mode io_uring} the native {@link IoUringIoHandler} (Linux 5.9+; Netty's defaults:
 * 4,096 ring entries, buffer-ring off); {@code --loops N} event loops (default 1) serve both accepting and the
 * connections.
 *
 * <p>Usage:
 * {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.server.NettyEchoServer --port 7000 [--mode epoll]}
 */
public final class NettyEchoServer {

    private NettyEchoServer() {
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args see {@link ServerOptions}
     * @throws Exception when binding fails, or epoll / io_uring is unavailable
     */
    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse(args, "nio");
        Channel server = start(options);
        ControlPort.startIfRequested(options.controlPort());
        Ready.announce("netty", options);
        server.closeFuture().sync();
    }

    /**
     * Binds the echo server; closing the returned channel shuts its event loops down.
     *
     * @param options port, address, loops and the transport ({@code nio}, {@code epoll} or {@code io_uring})
     * @return the bound server channel (its {@code localAddress()} has the port when {@code --port 0})
     * @throws InterruptedException when interrupted while binding
     * @throws IllegalArgumentException for an unknown mode
     * @throws UnsatisfiedLinkError (from Netty) when the native transport asked for is unavailable
     */
    public static Channel start(ServerOptions options) throws InterruptedException {
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channel;
        switch (options.mode()) {
            case "nio" -> {
                factory = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
            case "epoll" -> {
                Epoll.ensureAvailability();
                factory = EpollIoHandler.newFactory();
                channel = EpollServerSocketChannel.class;
            }
            case "io_uring" -> {
                IoUring.ensureAvailability();
                factory = IoUringIoHandler.newFactory();
                channel = IoUringServerSocketChannel.class;
            }
            default -> throw new IllegalArgumentException("--mode must be nio, epoll or io_uring, got " + options.mode());
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.loops(), factory);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(EchoHandler.INSTANCE);
        Channel server = bootstrap.bind(options.address(), options.port()).sync().channel();
        server.closeFuture().addListener(f -> group.shutdownGracefully(0, 0, java.util.concurrent.TimeUnit.SECONDS));
        return server;
    }

    /** Echoes every buffer back; one instance serves all channels. */
    @ChannelHandler.Sharable
    static final class EchoHandler extends ChannelInboundHandlerAdapter {
        static final EchoHandler INSTANCE = new EchoHandler();

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            ctx.write(msg);
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
