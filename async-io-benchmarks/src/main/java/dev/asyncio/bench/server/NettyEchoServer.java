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

/**
 * Netty 4.2 echo server as Netty's own example writes it: write on {@code channelRead}, flush on
 * {@code channelReadComplete}. {@code --mode nio} (default) uses {@link NioIoHandler}, {@code --mode epoll} the native
 * {@link EpollIoHandler}; {@code --loops N} event loops (default 1) serve both accepting and the connections.
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
     * @throws Exception when binding fails or epoll is unavailable
     */
    public static void main(String[] args) throws Exception {
        ServerOptions options = ServerOptions.parse(args, "nio");
        boolean epoll = switch (options.mode()) {
            case "nio" -> false;
            case "epoll" -> true;
            default -> throw new IllegalArgumentException("--mode must be nio or epoll, got " + options.mode());
        };
        if (epoll) {
            Epoll.ensureAvailability();
        }
        IoHandlerFactory factory = epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory();
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(options.loops(), factory);
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 1024)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(EchoHandler.INSTANCE);
        Channel server = bootstrap.bind(options.address(), options.port()).sync().channel();
        ControlPort.startIfRequested(options.controlPort());
        Ready.announce("netty", options);
        server.closeFuture().sync();
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
