package dev.asyncio.core.internal.engine;

import dev.asyncio.core.Direction;
import dev.asyncio.core.ShutdownCallback;
import dev.asyncio.core.ShutdownOutcome;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.transport.Transport;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The ways a state's output ends short of an abort: the graceful close (write everything accepted, FIN, read to
 * the peer's EOF, close) and the half-close ({@code shutdown}), including a TLS half-close that waits for its
 * ciphertext. Both are driven by one event, {@link #outputDrained()}: the output has nothing left to write.
 */
public final class CloseSequence {

    /** Where a graceful close is. */
    public enum Phase {
        /** No graceful close. */
        NONE,
        /** {@code closeGracefully} was called; the loop has not taken it up yet. */
        REQUESTED,
        /** Reads stopped; waiting for the output to drain. */
        FLUSHING,
        /** FIN sent; reading and dropping input until the peer's EOF. */
        DRAINING;

        boolean refusesReads() {
            return this == FLUSHING || this == DRAINING;
        }
    }

    /** How long a graceful close waits for the peer's EOF after sending its own. */
    private static final long DRAIN_TIMEOUT_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final StateEngine state;
    private volatile Phase phase = Phase.NONE;
    private StateCallback callback;
    private StateTimer deadline;
    private Direction shutdownWhenDrained;
    private ShutdownCallback shutdownCallback;

    CloseSequence(StateEngine state) {
        this.state = state;
    }

    /** @return where the graceful close is; any thread */
    public Phase phase() {
        return phase;
    }

    /** @return whether {@code closeGracefully} was called: no new operation may start; any thread */
    public boolean isRequested() {
        return phase != Phase.NONE;
    }

    /** @return whether reads are refused (the output is being finished) */
    public boolean refusesReads() {
        return phase.refusesReads();
    }

    /** @return whether the FIN is out and input is being drained */
    public boolean isDraining() {
        return phase == Phase.DRAINING;
    }

    // ------------------------------------------------------------------ graceful close

    /**
     * Starts a graceful close from the caller's thread.
     *
     * @param timeout how long writing may take, or {@code null}
     * @param closedCallback told once closed, or {@code null}
     */
    public void closeGracefully(Duration timeout, StateCallback closedCallback) {
        if (phase == Phase.NONE) {
            phase = Phase.REQUESTED;
        }
        state.loop().submit(() -> begin(timeout, closedCallback));
    }

    private void begin(Duration timeout, StateCallback closedCallback) {
        if (!state.isOpen()) {
            state.call(closedCallback);
            return;
        }
        if (phase.refusesReads()) {
            // Closing already: keep the first caller's callback and add this one, keep the first deadline.
            StateCallback first = callback;
            callback = first == null ? closedCallback : closedCallback == null ? first : st -> {
                first.call(st);
                closedCallback.call(st);
            };
            return;
        }
        if (state.read().isActive()) {
            state.read().end();
        }
        callback = closedCallback;
        phase = Phase.FLUSHING;
        if (state.outbound().isEmpty() && !state.kind().hasPendingOutput()) {
            finish();
            return;
        }
        if (state.outbound().isEmpty()) {
            // Only ciphertext is left: OP_WRITE finishes it, then the close.
            state.setInterest(SelectionKey.OP_WRITE, true);
        }
        if (timeout != null) {
            deadline = new StateTimer(state) {
                @Override
                protected void fire(long now) {
                    if (phase == Phase.FLUSHING) {
                        Loggers.LOOP.log(Level.DEBUG, () -> state + ": output not written within " + timeout
                                + "; closing anyway");
                        finish();
                    }
                }
            };
            state.loop().deadlines().schedule(deadline, state.loop().now() + Timeouts.toNanos(timeout));
        }
    }

    /** The output has nothing left to write, or failed; loop thread, state open. */
    void outputDrained() {
        if (shutdownWhenDrained != null) {
            Direction d = shutdownWhenDrained;
            ShutdownCallback cb = shutdownCallback;
            shutdownWhenDrained = null;
            shutdownCallback = null;
            Throwable failure = shutdownChannel(state.kind(), d);
            if (cb != null) {
                state.context().invoker().call(cb, state.owner(), state.group(), failure);
            }
        }
        if (phase == Phase.FLUSHING && state.isOpen()) {
            finish();
        }
    }

    private void finish() {
        if (!state.outbound().isEmpty() || state.isConnecting() || !state.isOpen()
                || !state.kind().shutdownOutputForClose()) {
            closeDrained();
            return;
        }
        // Closing with unread input makes the kernel answer with RST, which can destroy what we just wrote before
        // the peer has read it. So after our FIN, read and drop input until the peer's EOF, for a bounded time.
        phase = Phase.DRAINING;
        state.setInterest(SelectionKey.OP_READ, true);
        if (deadline != null) {
            state.loop().deadlines().cancel(deadline);
        }
        deadline = new StateTimer(state) {
            @Override
            protected void fire(long now) {
                if (phase == Phase.DRAINING) {
                    closeDrained();
                }
            }
        };
        state.loop().deadlines().schedule(deadline, state.loop().now() + DRAIN_TIMEOUT_NANOS);
        drain();
    }

    /** Reads and drops input after the FIN; closes at the peer's EOF. */
    public void drain() {
        if (state.kind().drain()) {
            closeDrained();
        }
    }

    private void closeDrained() {
        StateCallback cb = callback;
        callback = null;
        phase = Phase.REQUESTED;
        state.closeNow(false);
        state.call(cb);
    }

    /** The state closed (some other way, perhaps): stop the timers; the graceful caller still hears of it. */
    void closed() {
        if (deadline != null) {
            state.loop().deadlines().cancel(deadline);
            deadline = null;
        }
        StateCallback cb = callback;
        callback = null;
        if (cb != null) {
            state.call(cb);
        }
    }

    // ------------------------------------------------------------------ half-close

    /**
     * LispWorks {@code async-io-state-shutdown}, from the caller's thread.
     *
     * @param direction which side
     * @param abort whether to abort an active operation there
     * @param callback told of the outcome, or {@code null}
     * @return DONE, FAILED or PENDING
     */
    public ShutdownOutcome shutdown(Direction direction, boolean abort, ShutdownCallback callback) {
        ChannelKind stream = state.kind();
        stream.transport("shutdown", "close");
        state.requireUsable("shutdown");
        boolean active = (direction.includesInput() && state.read().isClaimed())
                || (direction.includesOutput() && state.outbound().isWriting());
        if (active) {
            if (!abort) {
                throw new IllegalStateException(state.owner() + ": shutdown(" + direction + ") while an operation "
                        + "is active in that direction; pass abort=true to abort it");
            }
            state.loop().submit(() -> {
                if (!state.isOpen()) {
                    return;
                }
                if (direction.includesInput() && state.read().isActive()) {
                    state.read().end();
                }
                if (direction.includesOutput() && !state.outbound().isEmpty()) {
                    state.outbound().drop(state.context().writeOps());
                    state.output().idle();
                }
                Throwable failure = shutdownChannel(stream, direction);
                if (callback != null) {
                    state.context().invoker().call(callback, state.owner(), state.group(), failure);
                }
            });
            return ShutdownOutcome.PENDING;
        }
        // Over TLS the engine is loop-owned and must send close_notify before the FIN: shut down there, and only
        // once the ciphertext of completed writes has left (PENDING until then).
        boolean onLoop = direction.includesOutput() && stream.transport("shutdown", "close").shutdownOnLoop();
        if (onLoop) {
            Boolean pending = state.loop().callOnLoop(() -> {
                if (stream.transport("shutdown", "close").hasPendingOutput()) {
                    shutdownWhenDrained = direction;
                    shutdownCallback = callback;
                    state.setInterest(SelectionKey.OP_WRITE, true);
                    return true;
                }
                return false;
            });
            if (pending) {
                return ShutdownOutcome.PENDING;
            }
        }
        Throwable failure = onLoop ? state.loop().callOnLoop(() -> shutdownChannel(stream, direction))
                : shutdownChannel(stream, direction);
        if (callback != null) {
            state.loop().submit(() -> state.context().invoker().call(callback, state.owner(), state.group(),
                    failure));
        }
        return failure == null ? ShutdownOutcome.DONE : ShutdownOutcome.FAILED;
    }

    private static Throwable shutdownChannel(ChannelKind stream, Direction direction) {
        Transport t = stream.transport("shutdown", "close");
        try {
            if (direction.includesInput()) {
                t.shutdownInput();
            }
            if (direction.includesOutput()) {
                t.shutdownOutput();
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }
}
