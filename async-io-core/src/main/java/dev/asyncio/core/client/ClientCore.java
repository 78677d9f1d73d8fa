package dev.asyncio.core.client;

import dev.asyncio.core.WaitStateCollection;

import java.nio.ByteBuffer;

/** The client's engine (work in progress). */
final class ClientCore {
    private final AsyncIoClient client;
    private final String name;
    private final WaitStateCollection collection;
    private final ClientOptions options;

    ClientCore(AsyncIoClient client, String name, WaitStateCollection collection, ClientOptions options) {
        this.client = client;
        this.name = name;
        this.collection = collection;
        this.options = options;
    }

    String name() { return name; }
    WaitStateCollection collection() { return collection; }
    ClientOptions options() { return options; }
    void start() { throw new UnsupportedOperationException(); }
    void close() { throw new UnsupportedOperationException(); }
    ClientState state() { throw new UnsupportedOperationException(); }
    ClientStatistics statistics() { throw new UnsupportedOperationException(); }
    void addListener(ClientListener l) { throw new UnsupportedOperationException(); }
    void removeListener(ClientListener l) { throw new UnsupportedOperationException(); }
    void disconnect() { throw new UnsupportedOperationException(); }
    void reconnect() { throw new UnsupportedOperationException(); }
    void request(ByteBuffer payload, ReplyCallback callback) { throw new UnsupportedOperationException(); }
    void acquire(AcquireCallback callback) { throw new UnsupportedOperationException(); }
}
