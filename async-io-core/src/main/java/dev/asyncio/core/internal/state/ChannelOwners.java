package dev.asyncio.core.internal.state;

import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Collections;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.function.Supplier;

/**
 * Who holds a channel: the rule of LispWorks' {@code create-async-io-state} that the object "should not be used
 * directly for I/O ... until close-async-io-state has been called". A channel with a valid selection key in any
 * open collection's selector belongs to that key's state (or handle); a second state for it would race the first for
 * its bytes, so it is refused.
 *
 * <p>Every collection makes its selector known here for as long as it is open. The registry holds the collections
 * weakly (through the supplier each one keeps), so a collection that is dropped unclosed is not pinned by it.
 * Thread-safe.
 */
public final class ChannelOwners {

    /** Suppliers of the current selector of every open collection (a collection may rebuild its selector). */
    private static final Set<Supplier<Selector>> SELECTORS =
            Collections.synchronizedSet(Collections.newSetFromMap(new WeakHashMap<>()));

    private ChannelOwners() {
    }

    /**
     * Makes a collection's selector known; the caller keeps {@code selector} reachable for as long as the
     * collection lives.
     *
     * @param selector gives the collection's current selector
     */
    public static void track(Supplier<Selector> selector) {
        SELECTORS.add(selector);
    }

    /** @param selector what {@link #track} was given; the collection closed */
    public static void untrack(Supplier<Selector> selector) {
        SELECTORS.remove(selector);
    }

    /**
     * @param channel a channel about to get a state
     * @return the state or handle that holds {@code channel} in some open collection, or {@code null} if none does
     */
    public static Object holder(SelectableChannel channel) {
        if (!channel.isRegistered()) {
            return null;
        }
        Object[] all;
        synchronized (SELECTORS) {
            all = SELECTORS.toArray();
        }
        for (Object o : all) {
            @SuppressWarnings("unchecked")
            Selector selector = ((Supplier<Selector>) o).get();
            if (selector == null || !selector.isOpen()) {
                continue;
            }
            SelectionKey key = channel.keyFor(selector);
            if (key != null && key.isValid()) {
                return key.attachment();
            }
        }
        return null;
    }

    /**
     * @param channel a channel about to be registered with {@code selector}
     * @param selector a collection's selector
     * @return whether the channel still has a cancelled key there (its previous state closed with keep-alive, and the
     *         selector has not run since): registering it again would fail until the next select
     */
    public static boolean cancelledOn(SelectableChannel channel, Selector selector) {
        SelectionKey key = channel.keyFor(selector);
        return key != null && !key.isValid();
    }
}
