package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.WaitStateCollection;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * Tells the listeners, and runs user callbacks so that one that throws changes nothing in the client: the exception
 * is re-thrown in a task of its own on the loop, where the collection's {@code CallbackErrorPolicy} sees (logs and
 * counts) it, as it does any failing callback.
 */
final class Events {
    private static final System.Logger LOG = System.getLogger("dev.asyncio.core.client");

    private final AsyncIoClient client;
    private final WaitStateCollection collection;
    private final List<ClientListener> listeners = new CopyOnWriteArrayList<>();

    Events(AsyncIoClient client, WaitStateCollection collection, List<ClientListener> initial) {
        this.client = client;
        this.collection = collection;
        listeners.addAll(initial);
    }

    void add(ClientListener l) {
        listeners.add(l);
    }

    void remove(ClientListener l) {
        listeners.remove(l);
    }

    /** @return whether anyone listens (so the hot path builds no event when nobody does) */
    boolean any() {
        return !listeners.isEmpty();
    }

    /** Runs user code; what it throws goes to the collection's policy, never up into the client. */
    void user(Runnable code) {
        try {
            code.run();
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** Hands a failure of user code to the collection's policy (re-thrown in a task of its own). */
    void failed(Throwable e) {
        try {
            collection.execute(() -> {
                if (e instanceof RuntimeException r) {
                    throw r;
                }
                throw (Error) e;
            });
        } catch (RuntimeException closed) {
            LOG.log(System.Logger.Level.WARNING, "client '" + client.name() + "': a callback failed", e);
        }
    }

    private void each(Consumer<ClientListener> call) {
        if (listeners.isEmpty()) {
            return;
        }
        for (ClientListener l : listeners) {
            user(() -> call.accept(l));
        }
    }

    void stateChanged(ClientState from, ClientState to) {
        each(l -> l.stateChanged(client, from, to));
    }

    void connected(ClientAddress a, Duration took) {
        each(l -> l.connected(client, a, took));
    }

    void connectFailed(ClientAddress a, Throwable failure, Duration took) {
        each(l -> l.connectFailed(client, a, failure, took));
    }

    void disconnected(ClientAddress a, @Nullable Throwable cause) {
        each(l -> l.disconnected(client, a, cause));
    }

    void reconnectScheduled(int failures, Duration delay) {
        each(l -> l.reconnectScheduled(client, failures, delay));
    }

    void acquired(Duration waited) {
        each(l -> l.acquired(client, waited));
    }

    void acquireFailed(ClientException failure) {
        each(l -> l.acquireFailed(client, failure));
    }

    void requestCompleted(Duration took, @Nullable ClientException failure) {
        each(l -> l.requestCompleted(client, took, failure));
    }

    void unsolicitedFrame(boolean late) {
        each(l -> l.unsolicitedFrame(client, late));
    }

    void evicted(ClientAddress a, EvictionReason reason) {
        each(l -> l.evicted(client, a, reason));
    }
}
