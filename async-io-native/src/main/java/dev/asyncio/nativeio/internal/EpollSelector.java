package dev.asyncio.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.spi.AbstractSelectableChannel;
import java.nio.channels.spi.AbstractSelector;
import java.nio.channels.spi.SelectorProvider;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * A {@link Selector} over a Linux epoll instance, called through the foreign-function API. The JDK's own channels
 * register with it as with any selector, so everything built on them (TLS, UDP, Unix sockets, file sends, socket
 * options, closing) is unchanged. What it saves against the JDK's {@code EPollSelectorImpl}: no update queue (an
 * interest change is one {@code epoll_ctl} at once, and none when nothing changed), no {@code HashMap<Integer, ...>}
 * from descriptor to key (an array, {@link KeyTable}), and with {@link #select(Consumer, long)} no selected-key set
 * at all. Wake-ups go through an {@code eventfd}, at most one write per select.
 *
 * <p>Threads: one thread selects at a time (the selector's monitor); registration, interest changes, cancellation
 * and {@link #wakeup()} may come from any thread.
 */
final class EpollSelector extends AbstractSelector {

    private static final int INITIAL_EVENTS = 1024;
    private static final int MAX_EVENTS = 16 * 1024;

    private final int epfd;
    private final int eventFd;
    /** Freed by the garbage collector with the selector: closing a shared arena would stop every thread. */
    private final Arena arena = Arena.ofAuto();
    private MemorySegment events;
    private int maxEvents = INITIAL_EVENTS;
    /** The events of the last wait as ints (events, then the descriptor in the data field); selecting thread. */
    private int[] eventInts = new int[0];
    private final MemorySegment waitErrno;
    private final MemorySegment drainBuffer;
    private final MemorySegment one;
    /** Serialises epoll_ctl, the key table and the end of a key's registration (against descriptor reuse). */
    private final Object ctlLock = new Object();
    private final MemorySegment ctlEvent;
    private final MemorySegment ctlErrno;
    private final KeyTable table = new KeyTable();
    private final Set<SelectionKey> keys = ConcurrentHashMap.newKeySet();
    private final Set<SelectionKey> publicKeys = Collections.unmodifiableSet(keys);
    private final Set<SelectionKey> selected = new HashSet<>();
    private final Set<SelectionKey> publicSelected = new UngrowableSet(selected);
    private final Object wakeLock = new Object();
    /** True from a wake-up's write until the select that reads it back: later wake-ups need no system call. */
    private boolean wakeupPending;
    private boolean fdsClosed;
    private long round;

    EpollSelector(SelectorProvider provider) throws IOException {
        super(provider);
        waitErrno = Linux.errnoSegment(arena);
        ctlErrno = Linux.errnoSegment(arena);
        ctlEvent = arena.allocate(Linux.EVENT_SIZE, 8);
        drainBuffer = arena.allocate(8, 8);
        one = arena.allocate(8, 8);
        one.set(ValueLayout.JAVA_LONG, 0, 1L);
        events = arena.allocate(Linux.EVENT_SIZE * maxEvents, 8);
        epfd = Linux.epollCreate1(waitErrno, Linux.EPOLL_CLOEXEC);
        if (epfd < 0) {
            throw new IOException("epoll_create1 failed, errno " + Linux.errno(waitErrno));
        }
        eventFd = Linux.eventfd(waitErrno, 0, Linux.EFD_NONBLOCK | Linux.EFD_CLOEXEC);
        if (eventFd < 0) {
            int errno = Linux.errno(waitErrno);
            Linux.close(epfd);
            throw new IOException("eventfd failed, errno " + errno);
        }
        synchronized (ctlLock) {
            if (ctl(Linux.EPOLL_CTL_ADD, eventFd, Linux.EPOLLIN) != 0) {
                int errno = Linux.errno(ctlErrno);
                Linux.close(eventFd);
                Linux.close(epfd);
                throw new IOException("epoll_ctl(ADD eventfd) failed, errno " + errno);
            }
        }
    }

    // ------------------------------------------------------------------ registration

    @Override
    protected SelectionKey register(AbstractSelectableChannel ch, int ops, Object att) {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
        int fd = NioInternals.fd(ch);
        if (fd < 0) {
            throw new IllegalSelectorException();
        }
        EpollKey key = new EpollKey(this, ch, fd);
        key.attach(att);
        synchronized (ctlLock) {
            if (fdsClosed) {
                throw new ClosedSelectorException();
            }
            table.put(key);
            keys.add(key);
        }
        if (ops != 0) {
            key.interestOps(ops);
        }
        return key;
    }

    /** Applies a new interest set to epoll at once; any thread. */
    void interestChanged(EpollKey key, int ops) {
        synchronized (ctlLock) {
            if (key.gone || fdsClosed) {
                return; // deregistered meanwhile: its descriptor may already belong to another channel
            }
            int events = toEpoll(ops);
            int rc = 0;
            if (events == 0) {
                if (key.inEpoll) {
                    rc = ctl(Linux.EPOLL_CTL_DEL, key.fd, 0);
                    key.inEpoll = false;
                }
            } else if (!key.inEpoll) {
                rc = ctl(Linux.EPOLL_CTL_ADD, key.fd, events);
                if (rc != 0 && Linux.errno(ctlErrno) == Linux.EEXIST) {
                    rc = ctl(Linux.EPOLL_CTL_MOD, key.fd, events);
                }
                key.inEpoll = rc == 0;
            } else {
                rc = ctl(Linux.EPOLL_CTL_MOD, key.fd, events);
            }
            if (rc != 0 && events != 0) {
                // A descriptor closed under us (a channel closed in the meantime): select reports nothing for it.
                key.inEpoll = false;
            }
            key.setInterest(ops);
        }
    }

    private int ctl(int op, int fd, int events) {
        ctlEvent.set(ValueLayout.JAVA_INT, 0, events);
        ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, Linux.DATA_OFFSET, fd);
        ctlEvent.set(ValueLayout.JAVA_INT_UNALIGNED, Linux.DATA_OFFSET + 4, 0);
        return Linux.epollCtl(ctlErrno, epfd, op, fd, ctlEvent);
    }

    private static int toEpoll(int ops) {
        int e = 0;
        if ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0) {
            e |= Linux.EPOLLIN;
        }
        if ((ops & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT)) != 0) {
            e |= Linux.EPOLLOUT;
        }
        return e;
    }

    private static int toReady(int events, int interest) {
        if ((events & (Linux.EPOLLERR | Linux.EPOLLHUP)) != 0) {
            return interest; // as NIO: an error or hang-up makes every awaited operation "ready" to report it
        }
        int ready = 0;
        if ((events & Linux.EPOLLIN) != 0) {
            ready |= interest & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT);
        }
        if ((events & Linux.EPOLLOUT) != 0) {
            ready |= interest & (SelectionKey.OP_WRITE | SelectionKey.OP_CONNECT);
        }
        return ready;
    }

    /** Takes cancelled keys out of epoll and the table; finishes the close of channels closed while registered. */
    private void processCancelled() throws IOException {
        Set<SelectionKey> cancelled = cancelledKeys();
        if (cancelled.isEmpty()) {
            return; // a racy peek: a key cancelled just now goes at the next select, as in the JDK
        }
        List<SelectionKey> batch;
        synchronized (cancelled) {
            batch = new ArrayList<>(cancelled);
            cancelled.clear();
        }
        IOException failure = null;
        for (SelectionKey k : batch) {
            try {
                release((EpollKey) k, true);
            } catch (IOException e) {
                failure = e;
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    private void release(EpollKey key, boolean epollOpen) throws IOException {
        synchronized (ctlLock) {
            if (key.gone) {
                return;
            }
            if (key.inEpoll && epollOpen) {
                ctl(Linux.EPOLL_CTL_DEL, key.fd, 0);
            }
            key.inEpoll = false;
            key.gone = true;
            table.remove(key);
            keys.remove(key);
        }
        selected.remove(key);
        deregister(key);
        SelectableChannel ch = key.channel();
        if (!ch.isOpen() && !ch.isRegistered()) {
            NioInternals.kill(ch);
        }
    }

    // ------------------------------------------------------------------ selecting

    @Override
    public Set<SelectionKey> keys() {
        ensureOpen();
        return publicKeys;
    }

    @Override
    public Set<SelectionKey> selectedKeys() {
        ensureOpen();
        return publicSelected;
    }

    @Override
    public int selectNow() throws IOException {
        return doSelect(null, 0);
    }

    @Override
    public int select(long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return doSelect(null, timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select() throws IOException {
        return doSelect(null, -1);
    }

    @Override
    public int select(Consumer<SelectionKey> action, long timeout) throws IOException {
        if (timeout < 0) {
            throw new IllegalArgumentException("Negative timeout");
        }
        return doSelect(java.util.Objects.requireNonNull(action), timeout == 0 ? -1 : timeout);
    }

    @Override
    public int select(Consumer<SelectionKey> action) throws IOException {
        return doSelect(java.util.Objects.requireNonNull(action), -1);
    }

    @Override
    public int selectNow(Consumer<SelectionKey> action) throws IOException {
        return doSelect(java.util.Objects.requireNonNull(action), 0);
    }

    /**
     * @param action called per ready key, or {@code null} to fill the selected-key set
     * @param timeoutMillis -1 to block until something is ready or a wake-up, 0 not to block
     */
    private synchronized int doSelect(Consumer<SelectionKey> action, long timeoutMillis) throws IOException {
        ensureOpen();
        processCancelled();
        int timeout = (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
        int n;
        if (timeout != 0) {
            begin(); // Thread.interrupt() of the selecting thread wakes it up, as the JDK's selectors do
            try {
                n = Linux.epollWait(waitErrno, epfd, events, maxEvents, timeout);
            } finally {
                end();
            }
        } else {
            n = Linux.epollWait(waitErrno, epfd, events, maxEvents, 0);
        }
        if (n < 0) {
            int errno = Linux.errno(waitErrno);
            if (errno != Linux.EINTR) {
                throw new IOException("epoll_wait failed, errno " + errno);
            }
            n = 0;
        }
        processCancelled(); // keys cancelled while we waited must not be reported
        int updated = dispatch(n, action);
        if (n == maxEvents && maxEvents < MAX_EVENTS) {
            maxEvents *= 2; // many ready at once: take more per wait from now on
            events = arena.allocate(Linux.EVENT_SIZE * maxEvents, 8);
        }
        return updated;
    }

    private int dispatch(int n, Consumer<SelectionKey> action) {
        long r = ++round;
        int updated = 0;
        // One bulk copy of the events into a Java array, then plain array reads: cheaper per event than a checked
        // segment access each (a thousand ready connections read 2,000 fields).
        int stride = (int) (Linux.EVENT_SIZE / 4);
        int dataAt = (int) (Linux.DATA_OFFSET / 4);
        int[] ev = eventInts;
        if (ev.length < n * stride) {
            ev = new int[maxEvents * stride];
            eventInts = ev;
        }
        MemorySegment.copy(events, ValueLayout.JAVA_INT_UNALIGNED, 0, ev, 0, n * stride);
        for (int i = 0, at = 0; i < n; i++, at += stride) {
            int fd = ev[at + dataAt];
            if (fd == eventFd) {
                drainWakeup();
                continue;
            }
            EpollKey key = table.get(fd);
            if (key == null || !key.isValid()) {
                continue;
            }
            int ready = toReady(ev[at], key.interest());
            if (ready == 0) {
                continue;
            }
            if (action != null) {
                key.readyOps = ready;
                action.accept(key);
                updated++;
            } else if (selected.contains(key)) {
                if ((key.readyOps | ready) != key.readyOps) {
                    key.readyOps |= ready;
                    updated++;
                }
            } else {
                key.readyOps = ready;
                key.selectedRound = r;
                selected.add(key);
                updated++;
            }
        }
        return updated;
    }

    private void drainWakeup() {
        synchronized (wakeLock) {
            Linux.read(waitErrno, eventFd, drainBuffer, 8);
            wakeupPending = false;
        }
    }

    @Override
    public Selector wakeup() {
        synchronized (wakeLock) {
            // Under the lock, so that close cannot free the eventfd (whose number a new socket could then take)
            // between our check and our write.
            if (!wakeupPending && !fdsClosed) {
                wakeupPending = true;
                Linux.write(eventFd, one, 8);
            }
        }
        return this;
    }

    // ------------------------------------------------------------------ closing

    @Override
    protected void implCloseSelector() throws IOException {
        wakeup();
        synchronized (this) {
            List<SelectionKey> all = new ArrayList<>(keys);
            IOException failure = null;
            for (SelectionKey k : all) {
                try {
                    k.cancel(); // invalid from now on, as the JDK's selectors leave their keys
                    release((EpollKey) k, false);
                } catch (IOException e) {
                    failure = e;
                }
            }
            synchronized (cancelledKeys()) {
                cancelledKeys().clear();
            }
            synchronized (wakeLock) {
                synchronized (ctlLock) {
                    fdsClosed = true;
                    Linux.close(eventFd);
                    Linux.close(epfd);
                }
            }
            if (failure != null) {
                throw failure;
            }
        }
    }

    private void ensureOpen() {
        if (!isOpen()) {
            throw new ClosedSelectorException();
        }
    }

    /** @return the epoll instance's descriptor (tests) */
    int epollFd() {
        return epfd;
    }
}
