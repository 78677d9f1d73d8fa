package dev.asyncio.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The listeners of one {@link AsyncIoRegistry} and the one place that tells them of a change. A listener that throws
 * is logged and the others still hear of the change: a metrics binder must not stop a handle from binding.
 *
 * <p>Thread-safe; listeners run on the thread that made the change.
 */
final class RegistryListeners {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(AsyncIoRegistry.class);

    private final List<AsyncIoRegistryListener> listeners = new CopyOnWriteArrayList<>();

    void add(AsyncIoRegistryListener listener) {
        this.listeners.add(listener);
    }

    void remove(AsyncIoRegistryListener listener) {
        this.listeners.remove(listener);
    }

    void fire(Consumer<AsyncIoRegistryListener> event) {
        for (AsyncIoRegistryListener listener : this.listeners) {
            try {
                event.accept(listener);
            }
            catch (RuntimeException ex) {
                LOGGER.warn("async-io registry listener " + listener + " failed", ex);
            }
        }
    }
}
