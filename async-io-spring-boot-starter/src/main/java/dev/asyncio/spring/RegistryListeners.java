package dev.asyncio.spring;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * The listeners of one {@link AsyncIoRegistry} and the one place that tells them of a change. A listener that throws
 * is logged and the others still hear of the change: a metrics binder must not stop a handle from binding.
 *
 * <p>Thread-safe; listeners run on the thread that made the change.
 */
final class RegistryListeners {

    private static final System.Logger LOGGER = System.getLogger(AsyncIoRegistry.class.getName());

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
                LOGGER.log(System.Logger.Level.WARNING, "async-io registry listener " + listener + " failed", ex);
            }
        }
    }
}
