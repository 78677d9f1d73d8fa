package dev.asyncio.core.internal.loop;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

/**
 * The waiting half of {@link EventLoop#callOnLoop}: queues a query to a running loop and waits for its answer, in
 * slices, so that a loop that ends meanwhile (and will never run the query) is noticed and the query runs on the
 * caller's thread instead. Runs on the calling thread, never the loop's.
 */
final class LoopQuery {

    private LoopQuery() {
    }

    /**
     * @param loop the loop to ask
     * @param description the loop's name, for messages
     * @param query what to compute
     * @param <T> the answer's type
     * @return the answer
     * @throws IllegalStateException if the loop does not answer within {@link EventLoop#LOOP_ANSWER_TIMEOUT}
     */
    static <T> T ask(EventLoop loop, String description, Supplier<T> query) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        AtomicBoolean claimed = new AtomicBoolean();
        Runnable task = () -> {
            if (claimed.compareAndSet(false, true)) {
                try {
                    answer.complete(query.get());
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            }
        };
        try {
            loop.submit(task);
            long deadline = System.nanoTime() + EventLoop.LOOP_ANSWER_TIMEOUT.toNanos();
            while (true) {
                try {
                    return answer.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException slice) {
                    if (!loop.isLoopRunning() || loop.isClosed()) {
                        // The loop ended after we queued: nobody will run the task, so run it here (once).
                        task.run();
                    } else if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("The loop of " + description + " did not answer within "
                                + EventLoop.LOOP_ANSWER_TIMEOUT.toSeconds() + " s: a callback blocks it");
                    }
                }
            }
        } catch (RejectedExecutionException closedMeanwhile) {
            return query.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the loop of " + description, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }
}
