package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.LoopTimer;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;

/**
 * The requests a shared client holds while a connect attempt is under way: sent in order once it succeeds, failed
 * with its cause when it fails (and the next attempt is not immediate), each failed at its request deadline at the
 * latest. Bounded by {@link ClientOptions#maxPendingRequests()}; counted in the pending requests. ONE timer for all
 * (FIFO with one timeout: the head has the earliest deadline). Allocated by the shared mode on first use. Loop thread
 * only.
 */
final class ConnectQueue {
    private final ClientCore core;
    private final ArrayDeque<Pending> requests = new ArrayDeque<>();
    private final ArrayDeque<ByteBuffer> payloads = new ArrayDeque<>();
    private @Nullable LoopTimer timer;

    ConnectQueue(ClientCore core) {
        this.core = core;
    }

    boolean isEmpty() {
        return requests.isEmpty();
    }

    /** Holds {@code p} for the connect under way, or fails it when {@code maxPendingRequests} are already held. */
    void add(ByteBuffer payload, Pending p) {
        int max = core.options().maxPendingRequests();
        if (requests.size() >= max) {
            core.fail(p, ClientException.Kind.TOO_MANY_PENDING_REQUESTS, max + " requests are already waiting for "
                    + "the connect to " + core.options().addresses() + " (maxPendingRequests)", null);
            return;
        }
        requests.add(p);
        payloads.add(payload);
        core.counters().pendingRequests++;
        if (timer == null && p.deadlineNanos != Long.MAX_VALUE) {
            arm(p.deadlineNanos);
        }
    }

    /** The connect succeeded: every held request goes on {@code c}, in order. */
    void sendOn(Connection c) {
        cancelTimer();
        Pending p;
        while ((p = requests.poll()) != null) {
            ByteBuffer payload = payloads.poll();
            core.counters().pendingRequests--;
            if (!p.done) {
                c.send(payload, p);
            }
        }
    }

    /** The connect failed (or the client stopped): every held request fails with {@code failure}. */
    void failAll(ClientException failure) {
        cancelTimer();
        Pending p;
        while ((p = requests.poll()) != null) {
            payloads.poll();
            core.counters().pendingRequests--;
            core.fail(p, failure);
        }
    }

    private void arm(long deadline) {
        timer = core.schedule(Duration.ofNanos(Math.max(0, deadline - System.nanoTime())), this::expire);
    }

    private void cancelTimer() {
        if (timer != null) {
            timer.cancel();
            timer = null;
        }
    }

    /** The timer: the held requests past their deadline time out (never longer than the request timeout). */
    private void expire() {
        timer = null;
        long now = System.nanoTime();
        Pending p;
        while ((p = requests.peek()) != null && p.deadlineNanos - now <= 0) {
            requests.poll();
            payloads.poll();
            core.counters().pendingRequests--;
            core.counters().requestTimeouts++;
            core.fail(p, ClientException.Kind.REQUEST_TIMEOUT, "the connect to " + core.options().addresses()
                    + " did not finish within " + core.options().requestTimeout() + " (requestTimeout)", null);
        }
        if (p != null && p.deadlineNanos != Long.MAX_VALUE) {
            arm(p.deadlineNanos);
        }
    }
}
