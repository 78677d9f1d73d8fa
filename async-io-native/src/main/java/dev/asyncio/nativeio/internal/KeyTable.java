package dev.asyncio.nativeio.internal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.Arrays;

/**
 * File descriptor to key, in an array indexed by the descriptor (descriptors are small and dense): the lookup of
 * every ready event is one array load, no hashing and no boxing. Written under the selector's control lock, read by
 * the selecting thread without it (release/acquire pairs keep the two apart).
 */
final class KeyTable {
    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(EpollKey[].class);

    private volatile EpollKey[] keys = new EpollKey[1024];

    /** @param key made known under its descriptor; caller holds the control lock */
    void put(EpollKey key) {
        EpollKey[] a = keys;
        if (key.fd >= a.length) {
            a = Arrays.copyOf(a, Math.max(key.fd + 1, a.length * 2));
            keys = a;
        }
        SLOT.setRelease(a, key.fd, key);
    }

    /** @param key forgotten, if its descriptor still maps to it; caller holds the control lock */
    void remove(EpollKey key) {
        EpollKey[] a = keys;
        if (key.fd < a.length && a[key.fd] == key) {
            SLOT.setRelease(a, key.fd, (EpollKey) null);
        }
    }

    /** @param fd a descriptor epoll reported @return its key, or {@code null}; any thread */
    EpollKey get(int fd) {
        EpollKey[] a = keys;
        return fd >= 0 && fd < a.length ? (EpollKey) SLOT.getAcquire(a, fd) : null;
    }
}
