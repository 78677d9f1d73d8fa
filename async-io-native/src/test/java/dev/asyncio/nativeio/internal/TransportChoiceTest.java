package dev.asyncio.nativeio.internal;

import dev.asyncio.core.TransportMode;
import dev.asyncio.core.WaitStateCollection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Which transport collections get, with this module on the class path and the JVM flags it needs. */
class TransportChoiceTest {

    @Test
    void theProcessDefaultIsEpollWhenTheJvmAllowsIt() {
        // surefire starts this JVM with --enable-native-access and --add-opens, and asyncio.transport=native
        assertThat(WaitStateCollection.defaultTransport().name()).isEqualTo("epoll");
        assertThat(WaitStateCollection.defaultTransport().isNative()).isTrue();
        assertThat(new EpollPollerProvider().unavailableReason(false)).isNull();
    }

    @Test
    void theBuilderForcesEitherTransportForOneCollection() {
        try (WaitStateCollection nio = WaitStateCollection.builder("nio").transport(TransportMode.NIO).create();
             WaitStateCollection epoll = WaitStateCollection.builder("epoll").transport(TransportMode.NATIVE).create();
             WaitStateCollection auto = WaitStateCollection.builder("auto").transport(TransportMode.AUTO).create()) {
            assertThat(nio.transport().name()).isEqualTo("nio");
            assertThat(nio.transport().reason()).contains("WaitStateCollection.Builder.transport=nio");
            assertThat(epoll.transport().name()).isEqualTo("epoll");
            assertThat(auto.transport().name()).isEqualTo("epoll");
        }
    }
}
