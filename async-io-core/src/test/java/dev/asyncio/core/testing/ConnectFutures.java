package dev.asyncio.core.testing;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectCallback;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * {@link ConnectCallback}s that hand the outcome of a connect, a TLS attach or a handshake to a
 * {@link CompletableFuture}: the callback runs on the loop thread, the test waits on the future with a bound.
 * One definition of each adapter, so that no test swallows a failure by accident (a connect that fails still calls
 * back with a closed state, which a careless {@code future.complete(s)} would pass on as a success).
 */
public final class ConnectFutures {

    /**
     * What {@link #outcomeInto} completes with on success. A {@code CompletableFuture<Throwable>} completed with
     * {@code null} would read as "no answer yet" in an assertion chain; a marker compares with {@code isSameAs}.
     */
    public static final Throwable SUCCESS = new Throwable("success");

    private ConnectFutures() {
    }

    /**
     * @param connected completed with the state on success, exceptionally with the failure otherwise
     * @return the callback to pass to {@code connectTcp}
     */
    public static ConnectCallback into(CompletableFuture<AsyncIoState> connected) {
        return (state, failure) -> {
            if (failure != null) {
                connected.completeExceptionally(failure);
            } else {
                connected.complete(state);
            }
        };
    }

    /**
     * For a connect callback that starts the conversation itself: on success runs {@code onConnected} on the loop
     * thread; on failure completes {@code result} (the future the test waits on) exceptionally, so the test fails
     * with the connect's own failure instead of a timeout.
     *
     * @param result        the future the conversation would complete
     * @param onConnected   what to do with the connected state, on the loop thread
     * @return the callback to pass to {@code connectTcp}
     */
    public static ConnectCallback onSuccess(CompletableFuture<?> result, Consumer<AsyncIoState> onConnected) {
        return (state, failure) -> {
            if (failure != null) {
                result.completeExceptionally(failure);
            } else {
                onConnected.accept(state);
            }
        };
    }

    /**
     * For tests that assert on the failure itself (TLS attach, handshake).
     *
     * @param outcome completed with the failure, or with {@link #SUCCESS}
     * @return the callback to pass to {@code attachTls}, {@code handshake} or {@code connectTcp}
     */
    public static ConnectCallback outcomeInto(CompletableFuture<Throwable> outcome) {
        return (state, failure) -> outcome.complete(failure == null ? SUCCESS : failure);
    }
}
