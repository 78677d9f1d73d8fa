package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.integration.channel.DirectChannel;
import org.springframework.integration.channel.QueueChannel;
import org.springframework.integration.ip.tcp.inbound.TcpInboundGateway;
import org.springframework.integration.ip.tcp.outbound.TcpOutboundGateway;
import org.springframework.integration.ip.tcp.connection.TcpNetClientConnectionFactory;
import org.springframework.integration.ip.tcp.connection.TcpNetServerConnectionFactory;
import org.springframework.integration.ip.tcp.serializer.AbstractByteArraySerializer;
import org.springframework.integration.ip.tcp.serializer.TcpCodecs;
import org.springframework.integration.support.MessageBuilder;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;

/**
 * Issue 19, proof against real peers: Spring Integration IP's own connection factories and gateways (not only its
 * serializers over plain sockets, as {@link SpringIntegrationFramingInteropTest} does), in both directions —
 * {@code TcpOutboundGateway} over a {@code TcpNetClientConnectionFactory} against our framed handle, and our framed
 * client connection ({@code connectTcp} + {@link FrameReader} / {@link FrameWriter}) against a
 * {@code TcpInboundGateway} over a {@code TcpNetServerConnectionFactory}; payloads of 0, 1, the limit and limit + 1
 * bytes, our side writing in one write and a byte at a time; an oversize frame is refused as each side's policy says.
 */
class SpringIntegrationGatewayInteropTest extends LoopTestSupport {
    private static final int LIMIT = 200;

    private ThreadPoolTaskScheduler scheduler;
    private DefaultListableBeanFactory beans;

    /** A Spring Integration codec and our framing for the same wire format; see {@link SpringIntegrationFramingInteropTest.Pair}. */
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
                new Pair("stxetx", TcpCodecs::stxetx, 1, Framing.stxEtx()),
                new Pair("lengthHeader1", TcpCodecs::lengthHeader1, 0, Framing.lengthPrefix(1)),
                new Pair("lengthHeader2", TcpCodecs::lengthHeader2, 0, Framing.lengthPrefix(2)),
                new Pair("lengthHeader4", TcpCodecs::lengthHeader4, 0, Framing.lengthPrefix(4)))
                .map(p -> new Pair(p.name(), p.codec(), p.slack(),
                        p.framing().toBuilder().maxFrameSize(LIMIT).build()));
    }

    @BeforeEach
    void springIntegrationInfrastructure() {
        scheduler = new ThreadPoolTaskScheduler();
        scheduler.setThreadNamePrefix("si-sched-");
        scheduler.initialize();
        beans = new DefaultListableBeanFactory();
        beans.registerSingleton("taskScheduler", scheduler);
        beans.registerSingleton("integrationEvaluationContext",
                new org.springframework.expression.spel.support.StandardEvaluationContext());
    }

    @AfterEach
    void stopScheduler() {
        scheduler.shutdown();
    }

    private static byte[] payload(int n) {
        byte[] p = new byte[n];
        for (int i = 0; i < n; i++) {
            p[i] = (byte) ('A' + i % 26);
        }
        return p;
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
                }), AcceptOptions.builder().address("127.0.0.1").queueOutput(true).build());
        track(handle::close);
        return handle;
    }

    /** Spring Integration's client gateway to our handle, with its codec on both sides of its connection. */
    private TcpOutboundGateway siClientGateway(int port, AbstractByteArraySerializer codec) {
        TcpNetClientConnectionFactory client = new TcpNetClientConnectionFactory("127.0.0.1", port);
        client.setSerializer(codec);
        client.setDeserializer(codec);
        client.setSoTimeout(10_000);
        client.setBeanFactory(beans);
        client.afterPropertiesSet();
        client.start();
        track(client::stop);
        TcpOutboundGateway gateway = new TcpOutboundGateway();
        gateway.setConnectionFactory(client);
        gateway.setRemoteTimeout(10_000);
        gateway.setBeanFactory(beans);
        gateway.afterPropertiesSet();
        gateway.start();
        track(gateway::stop);
        return gateway;
    }

    private static byte[] exchange(TcpOutboundGateway gateway, byte[] request) {
        QueueChannel replies = new QueueChannel();
        gateway.handleMessage(MessageBuilder.withPayload(request).setReplyChannel(replies).build());
        Message<?> reply = replies.receive(10_000);
        assertThat(reply).as("a reply within 10 s").isNotNull();
        return (byte[]) reply.getPayload();
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void springIntegrationsClientGatewayAgainstOurHandle(Pair pair) {
        AcceptingHandle handle = ourEcho(pair.framing());
        TcpOutboundGateway gateway = siClientGateway(handle.localPort(), pair.si(LIMIT));
        for (int n : new int[] {0, 1, LIMIT}) {
            assertThat(exchange(gateway, payload(n))).as("%d bytes", n).isEqualTo(payload(n));
        }
        // Limit + 1 from a gateway whose codec has room for it (lengthHeader1 tops out at 255): our handle closes
        // the connection, and the gateway's request fails rather than waiting for its remote timeout.
        TcpOutboundGateway bigger = siClientGateway(handle.localPort(), pair.si(LIMIT + 50));
        assertThatThrownBy(() -> exchange(bigger, payload(LIMIT + 1)))
                .as("refused by our handle: the connection is closed").isInstanceOf(RuntimeException.class);
        assertThat(exchange(gateway, payload(1))).as("the other connection goes on").isEqualTo(payload(1));
    }

    /** Spring Integration's server gateway: echoes each message with its codec. */
    private int siServerGateway(AbstractByteArraySerializer codec) throws Exception {
        TcpNetServerConnectionFactory server = new TcpNetServerConnectionFactory(0);
        server.setLocalAddress("127.0.0.1");
        server.setSerializer(codec);
        server.setDeserializer(codec);
        server.setSoTimeout(20_000);
        server.setBeanFactory(beans);
        server.afterPropertiesSet();
        TcpInboundGateway gateway = new TcpInboundGateway();
        gateway.setConnectionFactory(server);
        DirectChannel requests = new DirectChannel();
        requests.subscribe(m -> ((MessageChannel) m.getHeaders().getReplyChannel())
                .send(MessageBuilder.withPayload(m.getPayload()).copyHeaders(m.getHeaders()).build()));
        gateway.setRequestChannel(requests);
        gateway.setBeanFactory(beans);
        gateway.afterPropertiesSet();
        gateway.start();
        track(gateway::stop);
        track(server::stop);
        long until = System.nanoTime() + WAIT.toNanos();
        while (!server.isListening() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        assertThat(server.isListening()).as("Spring Integration's server listens").isTrue();
        return server.getPort();
    }

    /** Our framed client: connected with the core's connectTcp, reading frames with a FrameReader. */
    private AsyncIoState ourClient(int port, Framing framing, LinkedBlockingQueue<byte[]> frames,
                                   CompletableFuture<IoStatus> ended) throws Exception {
        CompletableFuture<AsyncIoState> connected = new CompletableFuture<>();
        collection.connectTcp("127.0.0.1", port, (s, failure) -> {
            if (failure != null) {
                connected.completeExceptionally(failure);
                return;
            }
            FrameReader.start(s, framing, (st, f) -> {
                byte[] b = new byte[f.remaining()];
                f.get(b);
                frames.add(b);
            }, (st, status, failure2) -> ended.complete(status));
            connected.complete(s);
        }, ConnectOptions.builder().stateOptions(StateOptions.builder().queueOutput(true).build()).build());
        return connected.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    /** Writes {@code bytes} one byte per write, each started when the last completed (each its own send). */
    private static void writeByteAtATime(AsyncIoState state, byte[] bytes) throws Exception {
        CompletableFuture<Void> done = new CompletableFuture<>();
        writeFrom(state, bytes, 0, done);
        done.get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static void writeFrom(AsyncIoState state, byte[] bytes, int i, CompletableFuture<Void> done) {
        if (i == bytes.length) {
            done.complete(null);
            return;
        }
        state.writeBuffer(bytes, i, i + 1, (s, b, n) -> writeFrom(s, bytes, i + 1, done));
    }

    private static byte[] encoded(AbstractByteArraySerializer codec, byte[] payload) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        codec.serialize(payload, out);
        return out.toByteArray();
    }

    @ParameterizedTest
    @MethodSource("pairs")
    void ourFramedClientAgainstSpringIntegrationsServerGateway(Pair pair) throws Exception {
        int port = siServerGateway(pair.si(LIMIT));
        LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
        CompletableFuture<IoStatus> ended = new CompletableFuture<>();
        AsyncIoState state = ourClient(port, pair.framing(), frames, ended);
        FrameWriter writer = new FrameWriter(pair.framing());
        for (int n : new int[] {0, 1, LIMIT}) {
            writer.write(state, payload(n), null);
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes in one write", n).isEqualTo(payload(n));
            writeByteAtATime(state, encoded(pair.si(LIMIT), payload(n)));
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes a byte at a time", n).isEqualTo(payload(n));
        }
        assertThatThrownBy(() -> writer.write(state, payload(LIMIT + 1), null))
                .as("our writer refuses limit + 1").isInstanceOf(IllegalArgumentException.class);
        // Sent by hand anyway: Spring Integration's deserializer refuses it and closes the connection.
        state.writeBuffer(ByteBuffer.wrap(encoded(pair.si(LIMIT + 50), payload(LIMIT + 1))), null);
        assertThat(ended.get(10, TimeUnit.SECONDS)).isIn(IoStatus.EOF, IoStatus.ERROR);
        assertThat(frames).as("nothing echoed").isEmpty();
    }

    @Test
    void rawOurClientAgainstSpringIntegrationsServerGatewayOneMessagePerConnection() throws Exception {
        Framing raw = Framing.raw().toBuilder().maxFrameSize(LIMIT).build();
        // Raw frames end at EOF: Spring Integration's server reads to EOF, so the connection is single-use.
        TcpNetServerConnectionFactory server = new TcpNetServerConnectionFactory(0);
        server.setLocalAddress("127.0.0.1");
        server.setSerializer(TcpCodecs.raw(LIMIT));
        server.setDeserializer(TcpCodecs.raw(LIMIT));
        server.setSingleUse(true);
        server.setBeanFactory(beans);
        server.afterPropertiesSet();
        TcpInboundGateway gateway = new TcpInboundGateway();
        gateway.setConnectionFactory(server);
        DirectChannel requests = new DirectChannel();
        requests.subscribe(m -> ((MessageChannel) m.getHeaders().getReplyChannel())
                .send(MessageBuilder.withPayload(m.getPayload()).copyHeaders(m.getHeaders()).build()));
        gateway.setRequestChannel(requests);
        gateway.setBeanFactory(beans);
        gateway.afterPropertiesSet();
        gateway.start();
        track(gateway::stop);
        track(server::stop);
        long until = System.nanoTime() + WAIT.toNanos();
        while (!server.isListening() && System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        for (int n : new int[] {1, LIMIT}) {
            LinkedBlockingQueue<byte[]> frames = new LinkedBlockingQueue<>();
            CompletableFuture<IoStatus> ended = new CompletableFuture<>();
            AsyncIoState state = ourClient(server.getPort(), raw, frames, ended);
            // EOF after the payload: the half-close once the write has completed.
            new FrameWriter(raw).write(state, payload(n), (s, buffers, count) -> s.shutdown(Direction.OUTPUT));
            assertThat(frames.poll(10, TimeUnit.SECONDS)).as("%d bytes", n).isEqualTo(payload(n));
            assertThat(ended.get(10, TimeUnit.SECONDS)).isEqualTo(IoStatus.EOF);
        }
    }
}
