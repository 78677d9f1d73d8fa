package dev.asyncio.core.internal.engine;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.BuffersCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.CallbackErrorPolicy;
import dev.asyncio.core.CallbackFailure;
import dev.asyncio.core.CallbackScope;
import dev.asyncio.core.CollectionCallback;
import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.FileSendCallback;
import dev.asyncio.core.IdleCallback;
import dev.asyncio.core.IdleKind;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.RawConnectionFunction;
import dev.asyncio.core.ShutdownCallback;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;

import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.SocketChannel;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;

/**
 * The one place that runs user code for a collection: every callback, connection function and queued function goes
 * through here, and what it throws is counted and handed to the collection's {@link CallbackErrorPolicy}. One
 * overload per callback shape, so that calling one allocates nothing. A state's {@link CallbackScope}, if any, is
 * open while its user code runs and while the policy handles what that code threw. Loop thread.
 */
public final class CallbackInvoker {

    private final WaitStateCollection collection;
    private final CallbackErrorPolicy policy;
    private static final LogLimiter FATAL = new LogLimiter(Loggers.CALLBACKS, 10);
    private static final LogLimiter SCOPES = new LogLimiter(Loggers.CALLBACKS, 10);

    private final TrafficCounters counters;
    private final Function<AsyncIoState, StateEngine> engines;
    private final AtomicLong fatalFailures = new AtomicLong();

    /**
     * @param collection the collection, as failures name it
     * @param policy what happens when user code throws
     * @param counters the collection's counters
     * @param engines the engine behind a state: to close it at once after an out-of-memory error in its callback,
     *        or once a failed callback left it with nothing in flight
     */
    public CallbackInvoker(WaitStateCollection collection, CallbackErrorPolicy policy, TrafficCounters counters,
                           Function<AsyncIoState, StateEngine> engines) {
        this.collection = collection;
        this.policy = policy;
        this.counters = counters;
        this.engines = engines;
    }

    /** @return the collection whose user code this invoker runs */
    public WaitStateCollection collection() {
        return collection;
    }

    /**
     * @param cb the callback, or {@code null} (nothing runs)
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param buffer the buffer argument
     * @param count the count argument
     * @return false if the callback threw
     */
    public boolean call(BufferCallback cb, AsyncIoState state, StateGroup group, byte[] buffer, int count) {
        if (cb == null) {
            return true;
        }
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, buffer, count);
            return true;
        } catch (Throwable t) {
            failed(state, group, t);
            return false;
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb a ByteBuffer operation's callback, or {@code null} (nothing runs)
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param buffer the buffer argument
     * @param count the count argument
     * @return false if the callback threw
     */
    public boolean call(ByteBufferCallback cb, AsyncIoState state, StateGroup group, ByteBuffer buffer, int count) {
        if (cb == null) {
            return true;
        }
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, buffer, count);
            return true;
        } catch (Throwable t) {
            failed(state, group, t);
            return false;
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb a gathering write's callback, or {@code null} (nothing runs)
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param buffers the caller's buffers
     * @param count the bytes written
     */
    public void call(BuffersCallback cb, AsyncIoState state, StateGroup group, ByteBuffer[] buffers, long count) {
        if (cb == null) {
            return;
        }
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, buffers, count);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb a file send's callback, or {@code null} (nothing runs)
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param file the caller's file
     * @param count the bytes written
     */
    public void call(FileSendCallback cb, AsyncIoState state, StateGroup group, FileChannel file, long count) {
        if (cb == null) {
            return;
        }
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, file, count);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb the callback, or {@code null}
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @return false if the callback threw
     */
    public boolean call(StateCallback cb, AsyncIoState state, StateGroup group) {
        if (cb == null) {
            return true;
        }
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state);
            return true;
        } catch (Throwable t) {
            failed(state, group, t);
            return false;
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb the callback
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param failure the callback's argument
     * @return false if the callback threw
     */
    public boolean call(ConnectCallback cb, AsyncIoState state, StateGroup group, Throwable failure) {
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, failure);
            return true;
        } catch (Throwable t) {
            failed(state, group, t);
            return false;
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb the callback
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param failure the callback's argument
     */
    public void call(ShutdownCallback cb, AsyncIoState state, StateGroup group, Throwable failure) {
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, failure);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb the callback
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param buffer the datagram's buffer
     * @param count its length
     * @param sender who sent it
     */
    public void call(MessageCallback cb, AsyncIoState state, StateGroup group, byte[] buffer, int count,
                     InetSocketAddress sender) {
        CallbackScope.Opened scope = enter(state);
        try {
            cb.call(state, buffer, count, sender);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param cb an idle callback
     * @param state its state
     * @param group the state's handle, or {@code null}
     * @param kind the idle direction
     * @param count idle periods in a row
     */
    public void call(IdleCallback cb, AsyncIoState state, StateGroup group, IdleKind kind, int count) {
        CallbackScope.Opened scope = enter(state);
        try {
            cb.idle(state, kind, count);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param fn the handle's connection function
     * @param group the handle
     * @param state the new connection's state
     */
    public void call(ConnectionFunction fn, StateGroup group, AsyncIoState state) {
        CallbackScope.Opened scope = enter(state);
        try {
            fn.connected(group.handle(), state);
        } catch (Throwable t) {
            failed(state, group, t);
        } finally {
            exit(scope, state);
        }
    }

    /**
     * @param fn the handle's raw connection function
     * @param group the handle
     * @param socket the accepted socket
     */
    public void call(RawConnectionFunction fn, StateGroup group, SocketChannel socket) {
        try {
            fn.connected(group.handle(), socket);
        } catch (Throwable t) {
            failed(null, group, t);
        }
    }

    /**
     * @param cb a handle's close callback
     * @param group the handle
     */
    public void call(CollectionCallback cb, StateGroup group) {
        try {
            cb.call(collection);
        } catch (Throwable t) {
            failed(null, group, t);
        }
    }

    /** @param task a function queued to the loop ({@code apply}) */
    public void run(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            failed(null, null, t);
        }
    }

    /**
     * Opens the state's {@link CallbackScope}, if it has one; a scope that fails to open is logged and skipped, so
     * that the callback still runs.
     */
    private static CallbackScope.Opened enter(AsyncIoState state) {
        CallbackScope scope = state.callbackScope();
        if (scope == null) {
            return null;
        }
        try {
            return scope.open();
        } catch (Throwable t) {
            SCOPES.log(Level.WARNING, () -> "The CallbackScope of " + state + " failed to open; the callback runs "
                    + "without it", t);
            return null;
        }
    }

    private static void exit(CallbackScope.Opened opened, AsyncIoState state) {
        if (opened == null) {
            return;
        }
        try {
            opened.close();
        } catch (Throwable t) {
            SCOPES.log(Level.WARNING, () -> "The CallbackScope of " + state + " failed to close", t);
        }
    }

    /**
     * Counts a failure of user code and applies the policy. A {@link VirtualMachineError} (out of memory, a stack
     * overflow) is not handed to the policy: the state being served is closed at once, which frees what it held,
     * the failure is counted and logged (rate-limited), and the loop goes on. Under every policy, a state that the
     * failed callback left with nothing in flight is closed once the callback's caller has finished
     * ({@link AbandonedStates}).
     *
     * @param state the state whose callback failed, or {@code null}
     * @param group its handle, or {@code null}
     * @param failure what was thrown
     */
    public void failed(AsyncIoState state, StateGroup group, Throwable failure) {
        counters.callbackFailure();
        if (group != null) {
            group.counters().callbackFailure();
        }
        StateEngine engine = state != null ? engines.apply(state) : null;
        if (engine != null) {
            engine.callbackFailed(failure);
        }
        if (failure instanceof VirtualMachineError) {
            fatalFailures.incrementAndGet();
            if (engine != null) {
                engine.closeSilently();
            }
            FATAL.log(Level.ERROR, () -> "Callback failed with " + failure + " on "
                    + (state != null ? state + "; the state is closed" : collection) + " and the loop goes on",
                    failure);
            return;
        }
        try {
            policy.callbackFailed(new CallbackFailure(collection, state, group != null ? group.handle() : null,
                    failure));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError && engine != null) {
                engine.closeSilently();
            }
            FATAL.log(Level.ERROR, () -> "The CallbackErrorPolicy of " + collection + " failed", t);
        }
        if (engine != null) {
            AbandonedStates.checkAfterFailure(engine);
        }
    }

    /** @return callback failures that were errors of the JVM (out of memory, stack overflow) */
    public long fatalFailures() {
        return fatalFailures.get();
    }
}
