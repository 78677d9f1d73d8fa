package dev.asyncio.core.internal.loop;

import dev.asyncio.core.TransportMode;
import dev.asyncio.core.WaitStateCollection;
import org.junit.jupiter.api.Test;

import java.nio.channels.spi.AbstractSelector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The transport choice. The core alone (its own test run) has no native transport, so auto falls back to NIO and
 * names why; async-io-native runs these tests again with epoll present and forced.
 */
class LoopSelectorsTest {

    @Test
    void aModeOtherThanAutoNioOrNativeIsRefusedNamingWhereItCameFrom() {
        assertThatThrownBy(() -> LoopSelectors.forMode("kqueue", "system property asyncio.transport"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("system property asyncio.transport must be auto, nio or native, got 'kqueue'");
    }

    @Test
    void nioIsAlwaysTheJdkSelector() throws Exception {
        LoopSelectors nio = LoopSelectors.forMode(" NIO ", "test");
        assertThat(nio.name()).isEqualTo("nio");
        try (var selector = nio.open()) {
            assertThat(selector.getClass().getName()).startsWith("sun.nio.ch.");
        }
        try (WaitStateCollection c = WaitStateCollection.builder("nio").transport(TransportMode.NIO).create()) {
            assertThat(c.transport().name()).isEqualTo("nio");
            assertThat(c.transport().isNative()).isFalse();
        }
    }

    @Test
    void withoutTheNativeModuleAutoFallsBackToNioAndNativeFailsNamingWhy() {
        LoopSelectors auto = LoopSelectors.forMode("auto", "test");
        if (auto.name().equals("nio")) {
            assertThat(auto.reason()).startsWith("test=auto: falling back to NIO because ");
            assertThatThrownBy(() -> WaitStateCollection.builder("n").transport(TransportMode.NATIVE).create())
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("WaitStateCollection.Builder.transport=native asks for the native "
                            + "transport, which cannot run here: ");
        } else {
            // async-io-native's run: the native selector is what auto picks, and forcing it works.
            try (var selector = LoopSelectors.forMode("native", "test").open()) {
                assertThat(selector).isInstanceOf(AbstractSelector.class);
                assertThat(selector.getClass().getName()).doesNotStartWith("sun.nio.ch.");
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
        }
    }

    @Test
    void theProcessDefaultIsMadeOnceAndEveryCollectionWithoutAModeGetsIt() {
        try (WaitStateCollection c = WaitStateCollection.create("default")) {
            assertThat(c.transport()).isEqualTo(WaitStateCollection.defaultTransport());
            assertThat(c.transport().reason()).startsWith("system property asyncio.transport=");
        }
    }
}
