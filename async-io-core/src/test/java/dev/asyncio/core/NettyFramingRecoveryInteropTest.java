package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandler;
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
import io.netty.handler.codec.TooLongFrameException;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, proof against real peers, the cases {@link NettyFramingInteropTest} leaves out: Netty's line client
 * against our line handle (0, 1, the limit, a byte at a time; an oversized line skipped under {@code discard} with
 * the connection going on, closed under {@code close}), our line client recovering with Netty's line server after
 * an oversized line, a Netty length-prefixed server sending our client an oversized frame (skipped or closed on as
 * our policy says), and garbage headers (a TLS ClientHello, a 4 GiB length) closed on at once under {@code close},
 * before any body arrives.
 */
class NettyFramingRecoveryInteropTest extends LoopTestSupport {
    private static final int MAX = 256;

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

    private static ByteBuf line(int n) {
        return Unpooled.wrappedBuffer(payload(n), bytes("\n"));
    }

    /** Our echo handle; the frame reader of the last connection is kept for its counters. */
    private AcceptingHandle ourEcho(Framing framing, AtomicReference<FrameReader> reader) {
        FrameWriter writer = new FrameWriter(framing);
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) ->
                reader.set(FrameReader.start(state, framing, (s, f) -> {
                    byte[] b = new byte[f.remaining()];
                    f.get(b);
                    writer.write(s, b, null);
                }, (s, status, failure) -> s.close())), AcceptOptions.builder().address("127.0.0.1")
                .queueOutput(true).build());
        track(handle::close);
        return handle;
    }

    /** A Netty client with the given decoder (and encoder), collecting frames and telling its close. */
    private Channel nettyClient(int port, Supplier<ChannelHandler[]> codec, LinkedBlockingQueue<byte[]> frames,
                                CompletableFuture<Void> closed) throws Exception {
        return new Bootstrap().group(group).channel(NioSocketChannel.class)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(codec.get());
                        ch.pipeline().addLast(new SimpleChannelInboundHandler<ByteBuf>() {
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

    @Test
    void nettysLineClientAgainstOurLineHandleSkippingAnOversizedLine() throws Exception {
        AtomicReference<FrameReader> reader = new AtomicReference<>();
        AcceptingHandle handle = ourEcho(Framing.line().toBuilder().maxFrameSize(MAX)
                .errorPolicy(FrameErrorPolicy.DISCARD).build(), reader);
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Channel client = nettyClient(handle.localPort(),
                () -> new ChannelHandler[] {new LineBasedFrameDecoder(MAX)}, frames, closed);
        for (int n : new int[] {0, 1, MAX}) {
            client.writeAndFlush(line(n)).sync();
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes in one write", n).isEqualTo(payload(n));
            ByteBuf bytes = line(n);
            while (bytes.isReadable()) {
                client.writeAndFlush(bytes.readRetainedSlice(1)).sync();
            }
            bytes.release();
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes a byte at a time", n).isEqualTo(payload(n));
        }
        client.writeAndFlush(line(MAX + 1)).sync();
        client.writeAndFlush(line(4 * MAX)).sync();
        client.writeAndFlush(Unpooled.wrappedBuffer(bytes("next\r\n"))).sync();
        assertThat(frames.poll(10, TimeUnit.SECONDS)).as("the lines after the oversized ones").isEqualTo(bytes("next"));
        assertThat(closed).as("discard keeps the connection").isNotDone();
        assertThat(reader.get().framesDiscarded()).isEqualTo(2);
        client.close().sync();
    }

    @Test
    void nettysLineClientAgainstOurLineHandleClosedAtAnOversizedLine() throws Exception {
        AcceptingHandle handle = ourEcho(Framing.line().toBuilder().maxFrameSize(MAX).build(),
                new AtomicReference<>());
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<Void> closed = new CompletableFuture<>();
        Channel client = nettyClient(handle.localPort(),
                () -> new ChannelHandler[] {new LineBasedFrameDecoder(MAX)}, frames, closed);
        client.writeAndFlush(line(MAX)).sync();
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(payload(MAX));
        // MAX + 2 bytes and no LF yet: too long already (MAX + 1 could still be a full line's payload and its CR),
        // closed without waiting for the end of the line.
        client.writeAndFlush(Unpooled.wrappedBuffer(payload(MAX + 2))).sync();
        closed.get(10, TimeUnit.SECONDS);
        assertThat(frames).isEmpty();
    }

    @Test
    void ourLineClientRecoversWithNettysLineServerAfterAnOversizedLine() throws Exception {
        LinkedBlockingQueue<Throwable> nettyErrors = new LinkedBlockingQueue<>();
        Channel server = new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LineBasedFrameDecoder(MAX, true, false),
                                new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                        ctx.writeAndFlush(Unpooled.wrappedBuffer(msg.retain(),
                                                Unpooled.wrappedBuffer(bytes("\r\n"))));
                                    }

                                    @Override
                                    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                                        nettyErrors.add(cause);
                                    }
                                });
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
        try {
            Framing framing = Framing.line().toBuilder().maxFrameSize(MAX).build();
            java.nio.channels.SocketChannel ch = track(java.nio.channels.SocketChannel.open(server.localAddress()));
            AsyncIoState state = collection.createState(ch, StateOptions.builder().queueOutput(true).build());
            LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            FrameReader.start(state, framing, (s, f) -> {
                byte[] b = new byte[f.remaining()];
                f.get(b);
                frames.add(b);
            }, null);
            FrameWriter writer = new FrameWriter(framing);
            for (int n : new int[] {0, 1, MAX}) {
                writer.write(state, payload(n), null);
                assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes", n).isEqualTo(payload(n));
            }
            // Over Netty's limit, written by hand (our writer refuses it): Netty discards to the LF and goes on.
            byte[] tooLong = new byte[MAX + 2];
            System.arraycopy(payload(MAX + 1), 0, tooLong, 0, MAX + 1);
            tooLong[MAX + 1] = '\n';
            state.writeBuffer(tooLong, null);
            writer.write(state, bytes("after"), null);
            assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("after"));
            assertThat(nettyErrors.poll(10, TimeUnit.SECONDS)).isInstanceOf(TooLongFrameException.class);
        } finally {
            server.close().sync();
        }
    }

    /** A Netty length-prefixed server that answers any frame with an oversized frame and then "after". */
    private Channel nettyOversizeSender() throws Exception {
        return new ServerBootstrap().group(group).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast(new LengthFieldBasedFrameDecoder(4 * MAX + 4, 0, 4, 0, 4),
                                new LengthFieldPrepender(4), new SimpleChannelInboundHandler<ByteBuf>() {
                                    @Override
                                    protected void channelRead0(ChannelHandlerContext ctx, ByteBuf msg) {
                                        ctx.write(Unpooled.wrappedBuffer(payload(MAX + 1)));
                                        ctx.writeAndFlush(Unpooled.wrappedBuffer(bytes("after")));
                                    }
                                });
                    }
                }).bind(new InetSocketAddress(LOOPBACK, 0)).sync().channel();
    }

    @Test
    void anOversizedFrameFromNettysServerIsSkippedOrClosedOnAsOurPolicySays() throws Exception {
        Channel server = nettyOversizeSender();
        try {
            for (FrameErrorPolicy policy : FrameErrorPolicy.values()) {
                Framing framing = Framing.lengthPrefix(4).toBuilder().maxFrameSize(MAX).errorPolicy(policy).build();
                java.nio.channels.SocketChannel ch = track(java.nio.channels.SocketChannel.open(
                        server.localAddress()));
                AsyncIoState state = collection.createState(ch, StateOptions.builder().queueOutput(true).build());
                LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
                CompletableFuture<Throwable> failed = new CompletableFuture<>();
                FrameReader.start(state, framing, (s, f) -> {
                    byte[] b = new byte[f.remaining()];
                    f.get(b);
                    frames.add(b);
                }, (s, status, failure) -> failed.complete(failure));
                new FrameWriter(framing).write(state, bytes("go"), null);
                if (policy == FrameErrorPolicy.DISCARD) {
                    assertThat(frames.poll(10, TimeUnit.SECONDS)).as(policy.toString()).isEqualTo(bytes("after"));
                    assertThat(failed).isNotDone();
                } else {
                    assertThat(failed.get(10, TimeUnit.SECONDS)).isInstanceOfSatisfying(FrameException.class,
                            e -> assertThat(e.kind()).isEqualTo(FrameError.TOO_LONG));
                    assertThat(frames).isEmpty();
                }
                state.close();
            }
        } finally {
            server.close().sync();
        }
    }

    @Test
    void garbageHeadersAreClosedOnAtOnceBeforeAnyBody() throws Exception {
        AcceptingHandle handle = ourEcho(Framing.lengthPrefix(4).toBuilder().maxFrameSize(MAX).build(),
                new AtomicReference<>());
        byte[][] garbage = {
            // The start of a TLS ClientHello: a 4-byte length of 0x16030102 (~369 MB).
            {0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, (byte) 0xfc, 0x03, 0x03},
            // 0xFFFFFFFF: 4 GiB unsigned (Netty's reading), -1 signed (Spring Integration's).
            {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff, 'x'},
            bytes("GET / HTTP/1.1\r\nHost: x\r\n\r\n"),
        };
        for (byte[] g : garbage) {
            LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            CompletableFuture<Void> closed = new CompletableFuture<>();
            // No codec: the garbage goes out as it is, the way a stray client would send it.
            Channel client = nettyClient(handle.localPort(), () -> new ChannelHandler[0], frames, closed);
            client.writeAndFlush(Unpooled.wrappedBuffer(g)).sync();
            closed.get(10, TimeUnit.SECONDS);
            assertThat(frames).isEmpty();
        }
        // The loop is unharmed: a good client is served.
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        Channel good = nettyClient(handle.localPort(), () -> new ChannelHandler[] {
            new LengthFieldBasedFrameDecoder(MAX + 4, 0, 4, 0, 4), new LengthFieldPrepender(4)},
                frames, new CompletableFuture<>());
        good.writeAndFlush(Unpooled.wrappedBuffer(bytes("fine"))).sync();
        assertThat(frames.poll(10, TimeUnit.SECONDS)).isEqualTo(bytes("fine"));
        good.close().sync();
    }
}
