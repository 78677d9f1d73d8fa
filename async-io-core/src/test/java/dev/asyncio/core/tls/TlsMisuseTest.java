package dev.asyncio.core.tls;

import static dev.asyncio.core.tls.PlainPair.transfer;
import static dev.asyncio.core.tls.TlsTestOptions.clientSide;
import static dev.asyncio.core.tls.TlsTestOptions.serverSide;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.testing.CollectionPerTest;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** Wrong TLS calls throw {@link IllegalStateException} naming the rule, and lose nothing. */
class TlsMisuseTest extends CollectionPerTest {

    TlsMisuseTest() {
        super("tls-misuse");
    }

    @Test
    void attachingTwiceIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection).withTls();

        assertThatThrownBy(() -> pair.client().attachTls(clientSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS attached already");
        assertThat(transfer(pair.client(), pair.server(), "unharmed")).isEqualTo("unharmed");
    }

    @Test
    void attachingWhileAnAttachRunsIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        // The server never attaches, so the client's handshake stays in progress.
        pair.client().attachTls(clientSide(), (s, f) -> { });

        assertThatThrownBy(() -> pair.client().attachTls(clientSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attachTls");
        assertThatThrownBy(() -> pair.client().writeBuffer(new byte[] {1}, null))
                .as("nothing else may start until the attach called back")
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS attach, detach or handshake runs");
        assertThatThrownBy(() -> pair.client().readBuffer(new byte[1], (s, b, n) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("TLS attach, detach or handshake runs");
    }

    @Test
    void attachingWhileAReadIsActiveIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        pair.server().readBuffer(new byte[10], (s, b, n) -> { });

        assertThatThrownBy(() -> pair.server().attachTls(serverSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("read operation is active");
        assertThat(pair.server().tlsSide()).isNull();
    }

    @Test
    void attachingWhileAWriteIsActiveIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        // Far more than the socket buffers hold, and the peer does not read: the write stays active.
        pair.client().writeBuffer(new byte[16 * 1024 * 1024], null);

        assertThatThrownBy(() -> pair.client().attachTls(clientSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("write is active");
    }

    @Test
    void waitForInputOnATlsStateIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection).withTls();

        assertThatThrownBy(() -> pair.server().waitForInput(s -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("waitForInput is not available on a state with TLS attached");
        assertThat(transfer(pair.client(), pair.server(), "still reads")).isEqualTo("still reads");
    }

    @Test
    void handshakeWithoutTlsIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection);

        assertThatThrownBy(() -> pair.client().handshake((s, f) -> { }, Duration.ofSeconds(1)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("handshake needs TLS attached");
    }

    @Test
    void detachWhileAReadIsActiveIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection).withTls();
        pair.server().readBuffer(new byte[10], (s, b, n) -> { });

        assertThatThrownBy(() -> pair.server().detachTls(null))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("detachTls");
        assertThat(pair.server().tlsSide()).isEqualTo(TlsSide.SERVER);
    }

    @Test
    void tlsOnAUdpStateIsRefused() {
        AsyncIoState udp = collection.openUdp(UdpOptions.builder().localAddress("127.0.0.1").build());

        assertThatThrownBy(() -> udp.attachTls(serverSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attachTls is for TCP states");
    }

    @Test
    void attachingToAClosedStateIsRefused() throws Exception {
        PlainPair pair = PlainPair.open(collection);
        pair.client().close();

        assertThatThrownBy(() -> pair.client().attachTls(clientSide(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("attachTls");
    }
}
