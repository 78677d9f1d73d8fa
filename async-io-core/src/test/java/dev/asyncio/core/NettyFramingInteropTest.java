package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import io.netty.handler.codec.LengthFieldPrepender;
import io.netty.handler.codec.LineBasedFrameDecoder;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The framing against Netty's own codecs ({@code LengthFieldBasedFrameDecoder} + {@code LengthFieldPrepender},
 * {@code LineBasedFrameDecoder}), in both directions over loopback: payloads of 0, 1 and the limit bytes, an
 * oversized frame (closed or skipped as our policy says; skipped by Netty), and a garbage header.
 */
class NettyFramingInteropTest extends LoopTestSupport {
    private static final int MAX = 4096;

    private EventLoopGroup group;

    @BeforeEach
    void startNetty() {
        group = new MultiThreadIoEventLoopGroup(1, NioIoHandler.newFactory());
    }

    @AfterEach
    void stopNetty() throws Exception {
        group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) ('a' + i % 26);
        }
        return p;
    }

    /** A Netty echo server over loopback on an ephemeral port; {@code lines} picks the line codec. */
    private Channel nettyEchoServer(boolean lines, LinkedBlockingQueue<Throwable> errors) throws Exception {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (lines) {
                            ch.pipeline().addLast(new LineBasedFrameDecoder(MAX));
                        } else {
                            ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX + 4, 0, 4, 0, 4),
                                    new LengthFieldPrepender(4));
                        }
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
                            @Override
                            protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                ByteBuf out = msg.retain();
                                if (lines) {
                                    out = Unpooled.wrappedBuffer(out, Unpooled.wrappedBuffer(bytes("\r\n")));
                                }
                                ctx.writeAndFlush(out);
                            }

                            @Override
                            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                errors.add(cause);
                            }
                        });
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
    }

    /** Our client: a state connected to {@code server}, reading frames into the queue. */
    private AsyncIoState ourClient(Channel server, Framing framing, LinkedBlockingQueue<byte[]> frames)
            throws Exception {
        java.nio.channels.SocketChannel ch = track(java.nio.channels.SocketChannel.open(server.localAddress()));
        AsyncIoState state = collection.createState(ch, StateOptions.builder().queueOutput(true).build());
        FrameReader.start(state, framing, (s, f) -> {
            byte[] b = new byte[f.remaining()];
            f.get(b);
            frames.add(b);
        }, null);
        return state;
    }

    @Test
    void ourLengthPrefixedClientAgainstNettysPipeline() throws Exception {
        LinkedBlockingQueue<Throwable> nettyErrors = new LinkedBlockingQueue<>();
        Channel server = nettyEchoServer(false, nettyErrors);
        try {
            Framing framing = Framing.lengthPrefix(4).toBuilder().maxFrameSize(MAX).build();
            FrameWriter writer = new FrameWriter(framing);
            LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            AsyncIoState state = ourClient(server, framing, frames);
            for (int n : new int[] {0, 1, MAX}) {
                writer.write(state, payload(n), null);
                assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes", n).isEqualTo(payload(n));
            }
            // Over Netty's limit (written by hand: our writer refuses it): Netty skips it and goes on.
            ByteBuffer tooLong = ByteBuffer.allocate(4 + MAX + 1).putInt(MAX + 1).put(payload(MAX + 1)).flip();
            state.writeBuffer(tooLong, null);
            // Netty's decoder throws at the too-long frame and leaves the rest of that read undecoded until more
            // input comes: "after" goes out once Netty has seen the bad frame, or it can wait in Netty's buffer.
            assertThat(nettyErrors.poll(10, TimeUnit.SECONDS))
                    .isInstanceOf(io.netty.handler.codec.TooLongFrameException.class);
            writer.write(state, bytes("after"), null);
            assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("after"));
        } finally {
            server.close().sync();
        }
    }

    @Test
    void ourLineClientAgainstNettysLineDecoder() throws Exception {
        Channel server = nettyEchoServer(true, new LinkedBlockingQueue<>());
        try {
            Framing framing = Framing.line().toBuilder().maxFrameSize(MAX).build();
            FrameWriter writer = new FrameWriter(framing);
            LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            AsyncIoState state = ourClient(server, framing, frames);
            for (int n : new int[] {0, 1, MAX}) {
                writer.write(state, payload(n), null);
                assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes, answered with CR LF", n)
                        .isEqualTo(payload(n));
            }
        } finally {
            server.close().sync();
        }
    }

    /** A Netty length-prefixed client connected to {@code port}: frames it receives, and its close. */
    private Channel nettyClient(int port, LinkedBlockingQueue<byte[]> frames, CompletableFuture<Void> closed)
            throws Exception {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(MAX + 4, 0, 4, 0, 4),
                                new LengthFieldPrepender(4), new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                        frames.add(ByteBufUtil.getBytes(msg));
                                    }

                                    @Override
                                    public void channelInactive(ChannelHandlerContext ctx) {
                                        closed.complete(null);
                                    }
                                });
                    }
                }).connect(new InetSocketAddress(LOOPBACK, port)).sync().channel();
    }

    private AcceptingHandle ourEchoHandle(Framing framing) {
        FrameWriter writer = new FrameWriter(framing);
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) ->
                FrameReader.start(state, framing, (s, f) -> {
                    byte[] b = new byte[f.remaining()];
                    f.get(b);
                    writer.write(s, b, null);
                }, (s, status, failure) -> s.close()), AcceptOptions.builder().queueOutput(true).build());
        track(handle::close);
        return handle;
    }

    @Test
    void nettysClientAgainstOurHandleClosedAtAnOversizedFrame() throws Exception {
        AcceptingHandle handle = ourEchoHandle(Framing.lengthPrefix(4).toBuilder().maxFrameSize(MAX).build());
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Channel client = nettyClient(handle.localPort(), frames, closed);
        for (int n : new int[] {0, 1, MAX}) {
            client.writeAndFlush(Unpooled.wrappedBuffer(payload(n)));
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes", n).isEqualTo(payload(n));
        }
        client.writeAndFlush(Unpooled.wrappedBuffer(payload(MAX + 1)));
        closed.get(10, TimeUnit.SECONDS);
        assertThat(frames).as("nothing answered").isEmpty();
    }

    @Test
    void nettysClientAgainstOurHandleSkippingAnOversizedFrame() throws Exception {
        AcceptingHandle handle = ourEchoHandle(Framing.lengthPrefix(4).toBuilder().maxFrameSize(MAX)
                .errorPolicy(FrameErrorPolicy.DISCARD).build());
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Channel client = nettyClient(handle.localPort(), frames, closed);
        client.writeAndFlush(Unpooled.wrappedBuffer(payload(MAX + 1)));
        client.writeAndFlush(Unpooled.wrappedBuffer(bytes("next")));
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("next"));
        assertThat(closed).isNotDone();
        // A garbage header (an HTTP request on the port: "GET " announces ~1.2 GB) is closed on at once.
        // Written from the first handler's context, so that it passes the prepender by.
        client.pipeline().firstContext().writeAndFlush(Unpooled.wrappedBuffer(bytes("GET / HTTP/1.1\r\n\r\n")))
                .sync();
        closed.get(10, TimeUnit.SECONDS);
    }
}
