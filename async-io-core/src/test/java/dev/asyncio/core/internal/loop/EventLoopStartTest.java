package dev.asyncio.core.internal.loop;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/**
 * A loop with its own thread counts as running from the moment {@code startOwnThread} returns, before the thread is
 * scheduled: a caller that asked then was told "no loop runs" and selected on the loop's selector itself
 * ({@code ChannelOwners.requireFree}), which blocks for good once the new thread enters its select.
 */
class EventLoopStartTest {

    private static final LoopOwner NOBODY = new LoopOwner() {
        @Override
        public void closeAll() {
        }

        @Override
        public void taskFailed(Throwable failure) {
        }
    };

    @Test
    void aLoopRunsFromTheMomentItsThreadIsStarted() throws Exception {
        for (int i = 0; i < 20; i++) {
            EventLoop loop = new EventLoop("start-" + i, System::nanoTime, NOBODY);
            try {
                loop.startOwnThread("Loop Collection start-" + i, true);

                assertThat(loop.isLoopRunning()).as("isLoopRunning right after startOwnThread, round " + i).isTrue();
            } finally {
                loop.close();
                assertThat(loop.awaitTermination(Duration.ofSeconds(30))).isTrue();
            }
        }
    }
}
