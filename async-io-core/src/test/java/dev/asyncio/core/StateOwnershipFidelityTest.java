package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SocketChannel;

import org.junit.jupiter.api.Test;

/**
 * Issue 13, defect 2: {@code createState} on a channel that already has a state is refused (LispWorks: the object is
 * not to be used elsewhere until {@code close-async-io-state}); after {@code close(keepAlive=true)} it is allowed
 * again.
 */
class StateOwnershipFidelityTest extends LoopTestSupport {

    @Test
    void aSecondStateForAChannelIsRefusedAndTheFirstKeepsReading() throws Exception {
        Connection c = connect(StateOptions.builder().name("first").build());
        // Old code: accepted silently, and the two states raced for the bytes.
        assertThatThrownBy(() -> collection.createState(c.channel()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already has a state").hasMessageContaining("first")
                .hasMessageContaining("one state per channel");
        assertThat(c.channel().isOpen()).as("the refusal leaves the socket alone").isTrue();

        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[5], read);
        c.peer().send("hello");
        Call call = read.next();
        assertThat(call.text()).isEqualTo("hello");
        assertThat(call.readStatus()).isEqualTo(IoStatus.OK);
    }

    @Test
    void aStateInAnotherCollectionCountsToo() throws Exception {
        WaitStateCollection other = newCollection("other", CallbackErrorPolicy.LOG);
        Connection c = connect(StateOptions.builder().name("elsewhere").build());
        assertThatThrownBy(() -> other.createState(c.channel(), StateOptions.DEFAULTS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("elsewhere");
    }

    @Test
    void theChannelOfAConnectedStateCannotBeWrappedAgain() throws Exception {
        try (var server = listen()) {
            CallRecorder connected = new CallRecorder();
            AsyncIoState state = collection.connectTcp(null, server.getLocalPort(), connected,
                    ConnectOptions.DEFAULTS);
            assertThat(connected.next().failure()).isNull();
            track(server.accept());
            assertThatThrownBy(() -> collection.createState((SocketChannel) state.channel()))
                    .isInstanceOf(IllegalStateException.class).hasMessageContaining("already has a state");
        }
    }

    @Test
    void afterACloseWithKeepAliveTheChannelMayBeWrappedAgain() throws Exception {
        Connection c = connect(StateOptions.builder().name("old").build());
        c.state().close(true);
        AsyncIoState again = collection.createState(c.channel(), StateOptions.builder().name("new").build());

        CallRecorder read = new CallRecorder();
        again.readBuffer(new byte[5], read);
        c.peer().send("again");
        assertThat(read.next().text()).isEqualTo("again");
        assertThatThrownBy(() -> collection.createState(c.channel()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("new");
    }

    @Test
    void afterACloseWithKeepAliveInACollectionThatNobodyDrivesTheChannelMayBeWrappedAgain() throws Exception {
        WaitStateCollection idle = track(WaitStateCollection.create("idle"));
        Connection c = connect();
        c.state().close(true);
        AsyncIoState first = idle.createState(c.channel(), StateOptions.DEFAULTS);
        first.close(true);
        AsyncIoState second = idle.createState(c.channel(), StateOptions.DEFAULTS);
        assertThat(second.isOpen()).isTrue();
        assertThat(c.channel().isOpen()).isTrue();
    }

    @Test
    void aDatagramChannelHasOneStateAtATime() throws Exception {
        DatagramChannel channel = track(DatagramChannel.open());
        channel.bind(new InetSocketAddress(LOOPBACK, 0));
        AsyncIoState first = collection.createState(channel, StateOptions.builder().name("udp-first").build());
        assertThatThrownBy(() -> collection.createState(channel, StateOptions.DEFAULTS))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("udp-first");
        first.close(true);
        assertThat(collection.createState(channel, StateOptions.DEFAULTS).isOpen()).isTrue();
    }
}
