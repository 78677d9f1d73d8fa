package dev.asyncio.nativeio.internal;

import java.nio.channels.CancelledKeyException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectionKey;

/**
 * A channel's registration with an {@link EpollSelector}. Changing the interest ops goes straight to
 * {@code epoll_ctl} (no update queue to drain at the next select); any thread, as {@link SelectionKey} allows.
 */
final class EpollKey extends AbstractSelectionKey {

    private final EpollSelector selector;
    private final SelectableChannel channel;
    final int fd;
    private volatile int interestOps;
    /** The readiness the last select found; written by the selecting thread. */
    int readyOps;
    /** Whether the descriptor is in the epoll set now (epoll has no "nothing"; an empty interest set is a DEL). */
    boolean inEpoll;
    /** Set, under the selector's control lock, once the key left the epoll set and the table for good. */
    boolean gone;
    /** The select round that last put this key in the selected-key set; loop thread. */
    long selectedRound;

    EpollKey(EpollSelector selector, SelectableChannel channel, int fd) {
        this.selector = selector;
        this.channel = channel;
        this.fd = fd;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    @Override
    public Selector selector() {
        return selector;
    }

    @Override
    public int interestOps() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
        return interestOps;
    }

    @Override
    public SelectionKey interestOps(int ops) {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
        if ((ops & ~channel.validOps()) != 0) {
            throw new IllegalArgumentException("Invalid interest ops " + ops + " for " + channel);
        }
        if (ops != interestOps) {
            selector.interestChanged(this, ops);
        }
        return this;
    }

    /** @param ops the interest set now in force; under the selector's control lock */
    void setInterest(int ops) {
        interestOps = ops;
    }

    /** @return the interest set without the validity check; selecting thread */
    int interest() {
        return interestOps;
    }

    @Override
    public int readyOps() {
        if (!isValid()) {
            throw new CancelledKeyException();
        }
        return readyOps;
    }

    @Override
    public String toString() {
        return "EpollKey[fd=" + fd + ", interest=" + interestOps + ", " + channel + "]";
    }
}
