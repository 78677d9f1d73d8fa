package dev.asyncio.bench.framed;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
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
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;

/**
 * The Netty 4.2 framed echo server the async-io one is measured against: per channel
 * {@code LengthFieldBasedFrameDecoder(4 + 1 MiB, 0, 4, 0, 4)} (4-byte big-endian length, header stripped, the same
 * 1 MiB payload limit), {@code LengthFieldPrepender(4)} and an echo handler that writes each frame on
 * {@code channelRead} and flushes on {@code channelReadComplete} (Netty's own echo example). One event loop serves
 * accepting and the connections; {@code --transport nio|epoll|io_uring} picks {@link NioIoHandler},
 * {@link EpollIoHandler} or {@link IoUringIoHandler}.
 *
 * <p>Usage: {@code java -cp async-io-benchmarks.jar dev.asyncio.bench.framed.NettyFramedEchoServer --port 7002
 * --transport epoll}
 */
public final class NettyFramedEchoServer {

    /** The largest payload, as the async-io server's {@code maxFrameSize}. */
    static final int MAX_PAYLOAD = 1 << 20;

    private NettyFramedEchoServer() {
    }

    /**
     * Starts the server.
     *
     * @param options where to listen and on which transport
     * @return the server channel; {@code closeFuture()} ends with it; close it and shut its
     *     {@code eventLoop().parent()} down to stop
     * @throws Exception when binding fails or the native transport is unavailable
     */
    public static Channel start(FramedOptions options) throws Exception {
        IoHandlerFactory factory;
        Class<? extends ServerChannel> channel;
        switch (options.transport()) {
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
            default -> {
                factory = NioIoHandler.newFactory();
                channel = NioServerSocketChannel.class;
            }
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1, factory);
        try {
            return new ServerBootstrap()
                    .group(group)
                    .channel(channel)
                    .option(ChannelOption.SO_BACKLOG, 1024)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<>() {
                        @Override
                        protected void initChannel(Channel ch) {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX_PAYLOAD + 4, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4), FrameEcho.INSTANCE);
                        }
                    })
                    .bind(options.address(), options.port()).sync().channel();
        } catch (Exception | Error e) {
            group.shutdownGracefully();
            throw e;
        }
    }

    /**
     * Runs the server until the process is killed.
     *
     * @param args {@code --port N [--address A] [--transport nio|epoll|io_uring]}
     * @throws Exception when binding fails or the native transport is unavailable
     */
    public static void main(String[] args) throws Exception {
        FramedOptions options = FramedOptions.parse(args, true);
        Channel server = start(options);
        System.out.println("READY netty-framed transport=" + options.transport() + " port="
                + ((java.net.InetSocketAddress) server.localAddress()).getPort() + " pid="
                + ProcessHandle.current().pid() + " java=" + Runtime.version());
        System.out.flush();
        server.closeFuture().sync();
    }

    /** Writes every frame back (the prepender adds the header); one instance serves all channels. */
    @ChannelHandler.Sharable
    static final class FrameEcho extends ChannelInboundHandlerAdapter {
        static final FrameEcho INSTANCE = new FrameEcho();

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
