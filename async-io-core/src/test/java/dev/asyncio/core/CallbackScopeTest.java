package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/** A state's {@link CallbackScope} is open while its callbacks run, and only then. */
class CallbackScopeTest extends LoopTestSupport {

    private static final ThreadLocal<String> CURRENT = new ThreadLocal<>();

    /** Makes {@code value} current, as a tracing scope makes a span current, and restores what was there. */
    private static CallbackScope scope(String value, List<String> events) {
        return () -> {
            String previous = CURRENT.get();
            CURRENT.set(value);
            events.add("open");
            return () -> {
                CURRENT.set(previous);
                events.add("close");
            };
        };
    }

    @Test
    void readCallbackRunsInsideTheScopeAndTheScopeClosesAfterIt() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 0);
        List<String> events = new CopyOnWriteArrayList<>();
        c.state().setCallbackScope(scope("connection-1", events));
        CompletableFuture<String> seen = new CompletableFuture<>();
        c.state().readBuffer(new byte[1], (s, b, n) -> {
            events.add("callback");
            seen.complete(CURRENT.get());
        });
        c.peer().send("x");

        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("connection-1");
        await().until(() -> events.size() == 3);
        assertThat(events).containsExactly("open", "callback", "close");
        assertThat(onLoop(collection, CURRENT::get)).as("nothing leaks to the loop's other work").isNull();
    }

    @Test
    void theErrorPolicySeesTheFailureInsideTheScope() throws Exception {
        CompletableFuture<String> seenByPolicy = new CompletableFuture<>();
        WaitStateCollection coll = newCollection("scoped-policy", failure -> seenByPolicy.complete(CURRENT.get()));
        Connection c = connect(coll, StateOptions.DEFAULTS, 0);
        c.state().setCallbackScope(scope("connection-2", new CopyOnWriteArrayList<>()));
        c.state().readBuffer(new byte[1], (s, b, n) -> {
            throw new IllegalStateException("callback failure on purpose (test)");
        });
        c.peer().send("x");

        assertThat(seenByPolicy.get(10, TimeUnit.SECONDS)).isEqualTo("connection-2");
    }

    @Test
    void aScopeThatFailsToOpenStillLetsTheCallbackRun() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 0);
        c.state().setCallbackScope(() -> {
            throw new IllegalStateException("scope failure on purpose (test)");
        });
        CompletableFuture<Integer> read = new CompletableFuture<>();
        c.state().readBuffer(new byte[1], (s, b, n) -> read.complete(n));
        c.peer().send("x");

        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(1);
        assertThat(collection.statistics().callbackFailures()).isZero();
    }

    @Test
    void withoutAScopeNothingIsCurrent() throws Exception {
        Connection c = connect(collection, StateOptions.DEFAULTS, 0);
        assertThat(c.state().callbackScope()).isNull();
        CompletableFuture<String> seen = new CompletableFuture<>();
        c.state().readBuffer(new byte[1], (s, b, n) -> seen.complete(String.valueOf(CURRENT.get())));
        c.peer().send("x");

        assertThat(seen.get(10, TimeUnit.SECONDS)).isEqualTo("null");
    }
}
