package dev.asyncio.core.internal.accept;

import dev.asyncio.core.internal.loop.DaemonPool;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * Runs a blocking bind (with its busy-port retry) off the loop thread and hands the outcome back on the loop: the
 * way a callback asks for a listener without blocking every other state of its collection while the port is busy.
 */
public final class DeferredBind {

    /** Where deferred binds wait for busy ports: daemon threads, never a loop thread. */
    private static final ExecutorService BINDERS = DaemonPool.create("async-io-bind", 2);

    private DeferredBind() {
    }

    /**
     * @param bind the blocking bind; runs on a binder thread
     * @param completeOn where the returned future is completed (the collection's loop); if it refuses the work
     *                   (the collection closed meanwhile) the future is completed on the binder thread instead
     * @param <T> what the bind makes
     * @return completed with the result of {@code bind}, or exceptionally with what it threw
     */
    public static <T> CompletableFuture<T> start(Supplier<T> bind, Executor completeOn) {
        CompletableFuture<T> result = new CompletableFuture<>();
        BINDERS.execute(() -> {
            T made = null;
            Throwable failure = null;
            try {
                made = bind.get();
            } catch (Throwable t) {
                failure = t;
            }
            T value = made;
            Throwable cause = failure;
            Runnable complete = () -> {
                if (cause != null) {
                    result.completeExceptionally(cause);
                } else {
                    result.complete(value);
                }
            };
            try {
                completeOn.execute(complete);
            } catch (RejectedExecutionException closed) {
                complete.run();
            }
        });
        return result;
    }
}
