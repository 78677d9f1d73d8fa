package dev.asyncio.spring;

import java.util.Objects;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;

/**
 * Wraps a handle's connection function to start the handle's {@link IdlePolicy} on every connection, after the
 * function ran (and only if it left the connection open). If the function is an {@link IdleListener} it hears of
 * the idle events. Made by the starter for a handle with {@code idle.reader}, {@code idle.writer} or
 * {@code idle.all} set and no framing (a framed handle's {@link FramedConnectionFunction} does it itself).
 *
 * <p>Runs on the loop thread of the connection's collection.
 */
public final class IdleDetectingConnectionFunction implements ConnectionFunction {

    private final ConnectionFunction delegate;

    private final IdlePolicy policy;

    /**
     * @param delegate the handle's connection function
     * @param policy the idle detection to start on each connection
     */
    public IdleDetectingConnectionFunction(ConnectionFunction delegate, IdlePolicy policy) {
        this.delegate = Objects.requireNonNull(delegate, "delegate");
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /** @return the wrapped connection function */
    public ConnectionFunction delegate() {
        return this.delegate;
    }

    /** @return the idle detection of the handle */
    public IdlePolicy policy() {
        return this.policy;
    }

    @Override
    public void connected(AcceptingHandle handle, AsyncIoState state) {
        this.delegate.connected(handle, state);
        this.policy.watch(state, (this.delegate instanceof IdleListener listener) ? listener : null);
    }

    @Override
    public String toString() {
        return "IdleDetectingConnectionFunction[" + this.delegate + ", " + this.policy + "]";
    }
}
