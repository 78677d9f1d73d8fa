package dev.asyncio.core.internal.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/**
 * A state's TLS attachment is made on first use, by the loop attaching or by any thread asking for the TLS side: two
 * threads that ask at once must get the one attachment. (Made without a lock, a query racing the loop's attach could
 * make a second one and replace the loop's; the state then showed no TLS side for good.)
 */
class StreamKindTlsTest {

    private static final int ROUNDS = 20_000;

    @Test
    void twoThreadsAskingAtOnceGetTheOneAttachment() throws Exception {
        try (SocketChannel channel = SocketChannel.open()) {
            StreamKind[] kinds = new StreamKind[ROUNDS];
            for (int i = 0; i < ROUNDS; i++) {
                kinds[i] = new StreamKind(channel);
            }
            TlsAttachment[][] seen = new TlsAttachment[2][ROUNDS];
            AtomicIntegerArray arrived = new AtomicIntegerArray(ROUNDS);
            AtomicReference<Throwable> failure = new AtomicReference<>();
            Thread[] askers = new Thread[2];
            for (int w = 0; w < 2; w++) {
                int who = w;
                askers[w] = new Thread(() -> {
                    try {
                        for (int i = 0; i < ROUNDS; i++) {
                            // Both reach round i before either asks: the first uses overlap as often as possible.
                            arrived.incrementAndGet(i);
                            for (int spins = 0; arrived.get(i) < 2; spins++) {
                                if (spins > 1_000) {
                                    Thread.yield();
                                } else {
                                    Thread.onSpinWait();
                                }
                            }
                            seen[who][i] = kinds[i].tls();
                        }
                    } catch (Throwable t) {
                        failure.set(t);
                    }
                }, "asker " + w);
                askers[w].start();
            }
            for (Thread t : askers) {
                t.join();
            }
            assertThat(failure.get()).isNull();
            int twoAttachments = 0;
            for (int i = 0; i < ROUNDS; i++) {
                if (seen[0][i] != seen[1][i] || kinds[i].tls() != seen[0][i]) {
                    twoAttachments++;
                }
            }
            assertThat(twoAttachments).as("rounds in which the two threads got different attachments").isZero();
        }
    }
}
