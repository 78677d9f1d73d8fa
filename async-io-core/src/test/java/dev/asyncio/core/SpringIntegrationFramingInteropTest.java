package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.TcpCodecs;

/**
 * The framing against Spring Integration IP's own serializers ({@code TcpCodecs}) on real loopback sockets, in
 * both directions: payloads of 0, 1 and the limit bytes, written a byte at a time and in one write; a frame of
 * limit + 1 bytes is closed on by our handle, and Spring Integration's deserializer refuses what we send over
 * its limit. The limit is the same number on both sides: {@code maxMessageSize} = {@code maxFrameSize}.
 */
class SpringIntegrationFramingInteropTest extends LoopTestSupport {
    private static final int LIMIT = 200;

    /**
     * A Spring Integration codec and our framing for the same wire format. Spring Integration's
     * {@code maxMessageSize} is an exclusive bound on what its delimited deserializers buffer, delimiter bytes
     * included: the largest payload is {@code maxMessageSize - 2} for CRLF, {@code - 1} for LF, a single terminator
     * and STX/ETX, and {@code maxMessageSize} itself for length headers; {@code slack} is that difference.
     */
    record Pair(String name, IntFunction<AbstractByteArraySerializer> codec, int slack, Framing framing) {
        AbstractByteArraySerializer si(int maxPayload) {
            return codec.apply(maxPayload + slack);
        }

        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Pair> pairs() {
        return Stream.of(
                new Pair("crlf", TcpCodecs::crlf, 2, Framing.crlf()),
                new Pair("lf", TcpCodecs::lf, 1, Framing.lf()),
                new Pair("singleTerminator", m -> TcpCodecs.singleTerminator((byte) 0, m), 1,
                        Framing.delimiter((byte) 0)),
                new Pair("stxetx", TcpCodecs::stxetx, 1, Framing.stxEtx()),
                new Pair("lengthHeader1", TcpCodecs::lengthHeader1, 0, Framing.lengthPrefix(1)),
                new Pair("lengthHeader2", TcpCodecs::lengthHeader2, 0, Framing.lengthPrefix(2)),
                new Pair("lengthHeader4", TcpCodecs::lengthHeader4, 0, Framing.lengthPrefix(4)))
                .map(p -> new Pair(p.name(), p.codec(), p.slack(),
                        p.framing().toBuilder().maxFrameSize(LIMIT).build()));
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) ('A' + i % 26);
        }
        return p;
    }

    /** Writes every byte on its own (the socket stream does not buffer, and the peer has TCP_NODELAY). */
    private static OutputStream byteAtATime(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                for (int i = 0; i < len; i++) {
                    out.write(b[off + i]);
                    out.flush();
                }
            }
        };
    }

    private AcceptingHandle ourEcho(Framing framing) {
        FrameWriter writer = new FrameWriter(framing);
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, state) ->
                FrameReader.start(state, framing, (s, f) -> {
                    byte[] b = new byte[f.remaining()];
                    f.get(b);
                    writer.write(s, b, null);
                }, (s, status, failure) -> {
                    if (s.isOpen() && !s.isClosing()) {
                        s.closeGracefully(Duration.ofSeconds(10), null);
                    }
                }), AcceptOptions.builder().queueOutput(true).build());
        track(handle::close);
        return handle;
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void springIntegrationClientAgainstOurHandle(Pair pair) throws Exception {
        AcceptingHandle handle = ourEcho(pair.framing());
        AbstractByteArraySerializer si = pair.si(LIMIT);
        try (Socket client = new Socket(LOOPBACK, handle.localPort())) {
            client.setTcpNoDelay(true);
            client.setSoTimeout(10_000);
            InputStream in = client.getInputStream();
            for (int n : new int[] {0, 1, LIMIT}) {
                si.serialize(payload(n), byteAtATime(client.getOutputStream()));
                assertThat(si.deserialize(in)).as("%d bytes, a byte at a time", n).isEqualTo(payload(n));
                ByteArrayOutputStream whole = new ByteArrayOutputStream();
                si.serialize(payload(n), whole);
                client.getOutputStream().write(whole.toByteArray());
                assertThat(si.deserialize(in)).as("%d bytes, one write", n).isEqualTo(payload(n));
            }
            // Limit + 1, sent by a serializer with room for it (lengthHeader1 tops out at 255): our handle closes.
            AbstractByteArraySerializer bigger = pair.si(LIMIT + 50);
            bigger.serialize(payload(LIMIT + 1), client.getOutputStream());
            assertThat(in.read()).as("closed, nothing answered").isEqualTo(-1);
        }
    }

    /** A Spring Integration "server": one connection, each message deserialized and echoed by the same codec. */
    private CompletableFuture<Throwable> siEchoServer(ServerSocket server, AbstractByteArraySerializer si) {
        CompletableFuture<Throwable> ended = new CompletableFuture<>();
        Thread t = new Thread(() -> {
            try (Socket s = server.accept()) {
                s.setSoTimeout(20_000);
                while (true) {
                    byte[] m = si.deserialize(s.getInputStream());
                    si.serialize(m, s.getOutputStream());
                }
            } catch (Throwable e) {
                ended.complete(e);
            }
        }, "si-echo");
        t.setDaemon(true);
        t.start();
        return ended;
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void ourFramedClientAgainstASpringIntegrationServer(Pair pair) throws Exception {
        ServerSocket server = listen();
        CompletableFuture<Throwable> serverEnded = siEchoServer(server, pair.si(LIMIT));
        java.nio.channels.SocketChannel ch = track(java.nio.channels.SocketChannel.open(
                server.getLocalSocketAddress()));
        AsyncIoState state = collection.createState(ch, StateOptions.builder().queueOutput(true).build());
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<IoStatus> ended = new CompletableFuture<>();
        FrameReader.start(state, pair.framing(), (s, f) -> {
            byte[] b = new byte[f.remaining()];
            f.get(b);
            frames.add(b);
        }, (s, status, failure) -> ended.complete(status));
        FrameWriter writer = new FrameWriter(pair.framing());
        for (int n : new int[] {0, 1, LIMIT}) {
            writer.write(state, payload(n), null);
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes", n).isEqualTo(payload(n));
        }
        assertThatThrownBy(() -> writer.write(state, payload(LIMIT + 1), null))
                .as("our writer refuses limit + 1").isInstanceOf(IllegalArgumentException.class);
        // Sent by hand anyway: Spring Integration's deserializer refuses it and the connection ends.
        ByteArrayOutputStream over = new ByteArrayOutputStream();
        pair.si(LIMIT + 50).serialize(payload(LIMIT + 1), over);
        state.writeBuffer(ByteBuffer.wrap(over.toByteArray()), null);
        assertThat(serverEnded.get(10, TimeUnit.SECONDS)).isInstanceOf(IOException.class);
        assertThat(ended.get(10, TimeUnit.SECONDS)).isIn(IoStatus.EOF, IoStatus.ERROR);
        assertThat(frames).isEmpty();
    }

    @org.junit.jupiter.api.Test
    void rawOneMessagePerConnectionBothWays() throws Exception {
        Framing raw = Framing.raw().toBuilder().maxFrameSize(LIMIT).build();
        AcceptingHandle handle = ourEcho(raw);
        for (int n : new int[] {1, LIMIT, LIMIT + 1}) {
            try (Socket client = new Socket(LOOPBACK, handle.localPort())) {
                client.setSoTimeout(10_000);
                TcpCodecs.raw(LIMIT + 50).serialize(payload(n), byteAtATime(client.getOutputStream()));
                client.shutdownOutput();
                byte[] back = client.getInputStream().readAllBytes();
                assertThat(back).as("%d bytes", n).isEqualTo(n <= LIMIT ? payload(n) : new byte[0]);
            }
        }
    }
}
