package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.AsyncIoState;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A {@link ClientConnection} as one acquire hands it out: the connection until {@link #release()}. A second lease
 * of the same connection (after this one's release) is another object, so an old holder cannot use a connection
 * that is someone else's now. The view given to an {@link UnsolicitedFrameHandler} is a lease that owns nothing
 * ({@code owned = false}): its release does nothing.
 */
final class Lease implements ClientConnection {
    private final ClientCore core;
    private final Connection connection;
    private final boolean owned;
    private volatile boolean released;

    Lease(ClientCore core, Connection connection, boolean owned) {
        this.core = core;
        this.connection = connection;
        this.owned = owned;
    }

    private void requireHeld(String what) {
        if (released) {
            throw new IllegalStateException("client '" + core.name() + "': " + what + " on a connection to "
                    + connection.address + " after its release");
        }
    }

    @Override
    public AsyncIoState state() {
        requireHeld("state()");
        return connection.state;
    }

    @Override
    public ClientAddress address() {
        return connection.address;
    }

    @Override
    public AsyncIoClient client() {
        return core.client();
    }

    @Override
    public boolean isOpen() {
        return !released && connection.usable();
    }

    @Override
    public int pendingRequests() {
        return connection.pending();
    }

    @Override
    public void request(ByteBuffer payload, ReplyCallback callback) {
        Objects.requireNonNull(payload, "payload");
        Objects.requireNonNull(callback, "callback");
        if (core.writer() == null) {
            throw new IllegalStateException("client '" + core.name() + "' has no framing (ClientOptions.framing): "
                    + "read and write the connection's state yourself");
        }
        requireHeld("request");
        core.writer().check(payload);
        core.requestOn(connection, payload, callback);
    }

    @Override
    public void request(byte[] payload, ReplyCallback callback) {
        request(ByteBuffer.wrap(payload), callback);
    }

    @Override
    public void reportRequest(java.time.Duration took, @Nullable ClientException failure) {
        Objects.requireNonNull(took, "took");
        core.onLoop(() -> core.reported(took, failure));
    }

    @Override
    public void release() {
        if (released || !owned) {
            return;
        }
        released = true;
        core.onLoop(() -> core.release(connection));
    }

    @Override
    public void close() {
        boolean wasHeld = !released;
        released = true;
        core.onLoop(() -> {
            connection.close(new java.io.IOException("closed by its user"));
            if (wasHeld && owned) {
                core.release(connection);
            }
        });
    }

    @Override
    public String toString() {
        return "ClientConnection[" + core.name() + " " + connection + (released ? " released" : "") + "]";
    }
}
