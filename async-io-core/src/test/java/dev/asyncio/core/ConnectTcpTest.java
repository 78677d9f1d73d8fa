package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.StandardSocketOptions;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

/** {@code connectTcp}: success, refusal and connect timeout, reported through the (state, failure) callback. */
class ConnectTcpTest extends LoopTestSupport {

    @Test
    void connectsAndCallsBackWithNoFailure() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        AsyncIoState state = collection.connectTcp("127.0.0.1", server.getLocalPort(), connected);
        assertThat(state).isNotNull();
        Peer peer = track(new Peer(server.accept()));

        Call call = connected.next();
        assertThat(call.state()).isSameAs(state);
        assertThat(call.failure()).isNull();
        assertOnLoop(call, loopThreadName());
        assertThat(state.isOpen()).isTrue();
        assertThat(state.peerAddress().getPort()).isEqualTo(server.getLocalPort());
        assertThat(state.localAddress().getPort()).isEqualTo(peer.socket().getPort());
        assertThat(state.queueOutput()).as("TCP default").isFalse();

        SocketChannel channel = (SocketChannel) state.channel();
        assertThat(channel.getOption(StandardSocketOptions.TCP_NODELAY)).as("nodelay default on").isTrue();
        assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).as("keepalive default off").isFalse();

        CallRecorder write = new CallRecorder();
        state.writeBuffer(bytes("hi"), write);
        assertThat(peer.readString(2)).isEqualTo("hi");
    }

    @Test
    void connectOptionsSetSocketOptionsLocalAddressAndState() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        ConnectOptions options = ConnectOptions.builder()
                .nodelay(false)
                .keepalive(true)
                .localAddress("127.0.0.1")
                .connectTimeout(Duration.ofSeconds(5))
                .stateOptions(StateOptions.builder().name("client").queueOutput(true).build())
                .build();
        AsyncIoState state = collection.connectTcp("127.0.0.1", String.valueOf(server.getLocalPort()), connected,
                options);
        track(new Peer(server.accept()));
        assertThat(connected.next().failure()).isNull();
        SocketChannel channel = (SocketChannel) state.channel();
        assertThat(channel.getOption(StandardSocketOptions.TCP_NODELAY)).isFalse();
        assertThat(channel.getOption(StandardSocketOptions.SO_KEEPALIVE)).isTrue();
        assertThat(state.name()).isEqualTo("client");
        assertThat(state.queueOutput()).isTrue();
        assertThat(state.localAddress().getAddress()).isEqualTo(LOOPBACK);
    }

    @Test
    void aRefusedConnectionIsPassedToTheCallback() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort(); // nothing listens there once this is closed
        }
        CallRecorder connected = new CallRecorder();
        AsyncIoState state = collection.connectTcp("127.0.0.1", closedPort, connected);
        Call call = connected.next();
        assertThat(call.state()).isSameAs(state);
        assertThat(call.failure()).isInstanceOf(IOException.class);
        assertOnLoop(call, loopThreadName());
    }

    @Test
    void anUnknownHostIsPassedToTheCallbackOrRejected() throws Exception {
        CallRecorder connected = new CallRecorder();
        try {
            collection.connectTcp("no-such-host.invalid", 80, connected);
        } catch (IllegalArgumentException rejected) {
            return; // rejecting at once is fine too
        }
        assertThat(connected.next().failure()).isNotNull();
    }

    @Test
    void aConnectThatHangsEndsWithTheConnectTimeout() throws Exception {
        // A loopback listener whose accept queue is full drops further SYNs, so a connect to it hangs.
        ServerSocket full = listenWithFullBacklog();
        CallRecorder connected = new CallRecorder();
        collection.connectTcp("127.0.0.1", full.getLocalPort(), connected,
                ConnectOptions.builder().connectTimeout(Duration.ofMillis(300)).build());
        Call call = connected.next();
        assertThat(call.failure()).as("the connect timed out").isNotNull();
        assertThat(call.state().isOpen()).isFalse();
    }

    private ServerSocket listenWithFullBacklog() throws IOException {
        ServerSocket server = new ServerSocket(0, 1, LOOPBACK);
        track(server);
        List<Socket> fill = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            Socket s = track(new Socket());
            try {
                s.connect(server.getLocalSocketAddress(), 500);
                fill.add(s);
            } catch (SocketTimeoutException queueFull) {
                return server;
            }
        }
        assumeThat(false).as("cannot make a loopback connect hang here (the accept queue never filled after "
                + fill.size() + " connections): connect-timeout test skipped").isTrue();
        return server;
    }

    @Test
    void theStateOfAFailedConnectIsClosed() throws Exception {
        int closedPort;
        try (ServerSocket s = new ServerSocket(0, 1, LOOPBACK)) {
            closedPort = s.getLocalPort();
        }
        CallRecorder connected = new CallRecorder();
        AsyncIoState state = collection.connectTcp("127.0.0.1", closedPort, connected);
        assertThat(connected.next().failure()).isNotNull();
        assertThat(state.isOpen()).isFalse();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> state.readBuffer(new byte[1], connected))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void theFirstOperationMayStartFromTheConnectCallback() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        CallRecorder write = new CallRecorder();
        // Starting the first operation from the connect callback is the LispWorks pattern.
        collection.connectTcp("127.0.0.1", server.getLocalPort(), (s, failure) -> {
            connected.call(s, failure);
            s.writeBuffer(bytes("first words"), write);
        });
        Peer peer = track(new Peer(server.accept()));
        assertThat(connected.next().failure()).isNull();
        assertThat(peer.readString(11)).isEqualTo("first words");
        assertThat(write.next().count()).isEqualTo(11);
    }

    @Test
    void operationsStartedWhileConnectingRunOnceConnected() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        CallRecorder write = new CallRecorder();
        CallRecorder read = new CallRecorder();
        AsyncIoState state = collection.connectTcp("127.0.0.1", server.getLocalPort(), connected);
        state.writeBuffer(bytes("early"), write);
        state.readBuffer(new byte[5], read);
        Peer peer = track(new Peer(server.accept()));
        assertThat(connected.next().failure()).isNull();
        assertThat(peer.readString(5)).isEqualTo("early");
        assertThat(write.next().count()).isEqualTo(5);
        peer.send("reply");
        assertThat(read.next().text()).isEqualTo("reply");
    }

    @Test
    void aNullHostIsTheLoopbackAddress() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        AsyncIoState state = collection.connectTcp(null, server.getLocalPort(), connected);
        track(new Peer(server.accept()));
        assertThat(connected.next().failure()).isNull();
        assertThat(state.peerAddress().getAddress().isLoopbackAddress()).isTrue();
    }

    @Test
    void badPortsAndServicesAreRejected() {
        CallRecorder connected = new CallRecorder();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.connectTcp("127.0.0.1", 0, connected))
                .isInstanceOf(IllegalArgumentException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.connectTcp("127.0.0.1", 70000, connected))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("70000");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.connectTcp("127.0.0.1",
                "no-such-service-xyz", connected, ConnectOptions.DEFAULTS))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("no-such-service-xyz");
    }

    @Test
    void aHostNameIsResolved() throws Exception {
        ServerSocket server = listen();
        CallRecorder connected = new CallRecorder();
        AsyncIoState state = collection.connectTcp("localhost", server.getLocalPort(), connected,
                ConnectOptions.builder().ipFamily(IpFamily.IPV4).build());
        track(new Peer(server.accept()));
        assertThat(connected.next().failure()).isNull();
        assertThat(state.peerAddress().getAddress()).isEqualTo(LOOPBACK);
    }
}
