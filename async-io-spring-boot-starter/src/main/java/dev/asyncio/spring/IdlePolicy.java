package dev.asyncio.spring;

import java.util.EnumMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IdleKind;
import dev.asyncio.core.IdleOptions;
import org.jspecify.annotations.Nullable;

/**
 * The idle detection of one handle ({@code async-io.handles.<name>.idle.*}): its periods, what happens at an idle
 * event, and the counts over all its connections (the meters {@code asyncio.idle.events} and
 * {@code asyncio.idle.closes}). {@link #watch} starts it on one connection, with the core's
 * {@link AsyncIoState#detectIdle}. Counted on the loop threads, read from any thread.
 */
public final class IdlePolicy {

    private final IdleOptions options;

    private final IdleAction action;

    private final Map<IdleKind, LongAdder> events = new EnumMap<>(IdleKind.class);

    private final LongAdder closes = new LongAdder();

    /**
     * @param options the periods
     * @param action what an idle event does beyond telling the listener
     */
    public IdlePolicy(IdleOptions options, IdleAction action) {
        this.options = Objects.requireNonNull(options, "options");
        this.action = Objects.requireNonNull(action, "action");
        for (IdleKind kind : IdleKind.values()) {
            this.events.put(kind, new LongAdder());
        }
    }

    /** @return the periods */
    public IdleOptions options() {
        return this.options;
    }

    /** @return what an idle event does */
    public IdleAction action() {
        return this.action;
    }

    /**
     * @param kind a direction
     * @return idle events of that direction so far, over all connections
     */
    public long events(IdleKind kind) {
        return this.events.get(kind).sum();
    }

    /** @return connections closed by {@link IdleAction#CLOSE} so far */
    public long closes() {
        return this.closes.sum();
    }

    /**
     * Starts idle detection on a connection; nothing happens if it is closed or closing already. Call it on the
     * connection's loop thread (from the connection function).
     * @param state the connection
     * @param listener told of each idle event before the action, or {@code null}
     */
    public void watch(AsyncIoState state, @Nullable IdleListener listener) {
        if (!state.isOpen() || state.isClosing()) {
            return;
        }
        state.detectIdle(this.options, (s, kind, count) -> {
            this.events.get(kind).increment();
            try {
                if (listener != null) {
                    listener.idle(s, kind, count);
                }
            }
            finally {
                // Also when the listener threw: the configured action does not depend on the listener's code.
                if (this.action == IdleAction.CLOSE && s.isOpen()) {
                    this.closes.increment();
                    s.close();
                }
            }
        });
    }

    @Override
    public String toString() {
        return "IdlePolicy[" + this.options + ", " + this.action + "]";
    }
}
