package dev.asyncio.core.internal.loop;

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

    /**
     * One state per channel: refuses a channel that an open state or handle of any loop holds, and after a
     * keep-alive close waits for the old registration to leave {@code loop}'s selector (it goes at its next select).
     *
     * @param channel the channel to wrap
     * @param loop the loop it is to be registered with
     * @throws IllegalStateException if the channel is held, naming the holder, or its old key cannot be dropped yet
     */
    public static void requireFree(SelectableChannel channel, EventLoop loop) {
        Object holder = holder(channel);
        if (holder != null) {
            throw new IllegalStateException("createState: " + channel + " already has a state, " + holder
                    + ": one state per channel; close that one first (close(true) keeps the socket open)");
        }
        Selector selector = loop.selector();
        if (!cancelledOn(channel, selector)) {
            return;
        }
        String pending = "createState: " + channel + " was closed with keepAlive in " + loop + " and is released "
                + "at the loop's next select";
        if (loop.inLoopThread()) {
            throw new IllegalStateException(pending + "; call createState from a later apply(...) or another thread");
        }
        if (loop.isLoopRunning()) {
            loop.callOnLoop(() -> null); // the loop runs queued work only after a select, which drops the old key
        } else {
            try {
                selector.selectNow(key -> { }); // nobody selects now: drop the old key ourselves
            } catch (java.io.IOException | RuntimeException e) {
                throw new IllegalStateException(pending + ", and the select failed: " + e, e);
            }
        }
        if (cancelledOn(channel, selector)) {
            throw new IllegalStateException(pending + ", which has not happened yet; try again");
        }
    }
}
