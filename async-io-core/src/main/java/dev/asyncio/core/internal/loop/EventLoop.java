package dev.asyncio.core.internal.loop;

import dev.asyncio.core.internal.LogLimiter;
import dev.asyncio.core.internal.Loggers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * The event loop of one collection: one {@link Selector}, the queue of work submitted from other threads (one
 * {@code Selector.wakeup()} per burst), the loop thread's own task queue, the ready list, the deadline queue, the
 * loop's clock and buffers, and who drives the loop. Every method may be called from any thread unless it says
 * "loop thread".
 */
public final class EventLoop {

    /** Premature empty selects in a row after which the selector is rebuilt (the JDK epoll spin bug, as Netty). */
    private static final int SELECTOR_REBUILD_THRESHOLD = 512;
    /** How long {@link #close()} and cross-thread queries wait for the loop thread. */
    public static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(30);
    /** The loop whose thread the current thread is, to spot calls from one loop into another. */
    private static final ThreadLocal<EventLoop> CURRENT_LOOP = new ThreadLocal<>();
    private static final LogLimiter FAILURES = new LogLimiter(Loggers.LOOP, 10);

    static {
        LoopCleanup.warmUpChannelClosing();
    }

    private final String description;
    private final LoopOwner owner;
    private final LongSupplier clock;
    private final LoopSelectors transport;
    /** The native transport's reads and writes of direct buffers, or {@code null} on NIO. */
    private final DirectSocketIo socketIo;
    private volatile Selector selector;
    /** Lets {@link ChannelOwners} find the states of this loop (kept here: the registry holds it weakly). */
    private final Supplier<Selector> selectorRef = () -> selector;
    /** One driver at a time, whichever way it drives (waitFor/callReady, loopProcessing, its own thread). */
    private final LoopDriverGuard driverGuard = new LoopDriverGuard();
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tasksPending = new AtomicInteger();
    /**
     * False only while the loop thread is (about to be) blocked in select. A submitter that flips it to true owns
     * the one wake-up for this burst; every other submitter sees true and skips {@code Selector.wakeup()}, which is
     * a system call.
     */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private final ArrayDeque<Ready> readyList = new ArrayDeque<>();
    private final ArrayDeque<Runnable> afterDeregistration = new ArrayDeque<>();
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final LoopBuffers buffers = new LoopBuffers();
    /**
     * Kept in a field: a method reference written at the call would allocate on every loop iteration. The first
     * key of an iteration reads the clock: the selector calls it from inside {@code select}, before
     * {@link #afterSelect} could.
     */
    private final Consumer<SelectionKey> dispatcher = this::dispatchSelected;

    private volatile Thread loopThread;
    private final AtomicBoolean looping = new AtomicBoolean();
    /** True while a thread drives the loop: inside loopProcessing, or since waitFor associated it. */
    private volatile boolean driven;
    private final Object loopEnd = new Object();
    private volatile boolean stopRequested;
    private volatile boolean closeRequested;
    private volatile boolean closed;
    private volatile Thread ownThread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    /** The loop clock's time, read after the last wait returned; see {@link #now()}. */
    private long now;
    /**
     * True from the clock read that follows a wait until the iteration ends: only then is {@link #now} fresh. A
     * deadline armed from a time read before the wait would be short by the whole quiet spell (issue 17: a loop
     * idle for 8 s closed the first connection at once on a 3 s read timeout).
     */
    private boolean clockFresh;
    private int prematureWakeups;
    private final java.util.concurrent.atomic.AtomicLong engineFailures = new java.util.concurrent.atomic.AtomicLong();

    /**
     * @param description how logs and errors name the loop (the collection's {@code toString()})
     * @param clock the loop's clock in nanoseconds
     * @param owner the collection: closes what it holds, reports failed tasks
     */
    public EventLoop(String description, LongSupplier clock, LoopOwner owner) {
        this(description, clock, owner, LoopSelectors.processDefault());
    }

    /**
     * @param description how logs and errors name the loop (the collection's {@code toString()})
     * @param clock the loop's clock in nanoseconds
     * @param owner the collection: closes what it holds, reports failed tasks
     * @param transport what the loop waits with (NIO's selector or a native one)
     */
    public EventLoop(String description, LongSupplier clock, LoopOwner owner, LoopSelectors transport) {
        this.description = description;
        this.clock = clock;
        this.owner = owner;
        this.transport = transport;
        this.socketIo = transport.socketIo();
        try {
            this.selector = transport.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector for " + description, e);
        }
        this.now = clock.getAsLong();
        ChannelOwners.track(selectorRef);
    }

    // ------------------------------------------------------------------ driving

    /**
     * Starts a thread that runs the loop until it is stopped, then closes the loop.
     *
     * @param threadName the thread's name
     * @param daemon whether it is a daemon thread
     */
    public void startOwnThread(String threadName, boolean daemon) {
        Thread t = new Thread(() -> {
            try {
                runLoop();
            } finally {
                closeNow();
                terminated.countDown();
            }
        }, threadName);
        t.setDaemon(daemon);
        ownThread = t;
        driverGuard.claimFor(description, t, LoopDriverGuard.Mode.CREATE_AND_RUN);
        loopThread = t;
        // Claimed before the thread starts: a loopProcessing() elsewhere right after we return must be refused.
        looping.set(true);
        // Running from now on, as isLoopRunning() says: a caller told "no loop runs" would select on our selector
        // itself and block for good once the thread enters its select.
        driven = true;
        t.start();
    }

    /** Blocks in select on the calling thread, which becomes the loop thread; ready keys wait for {@link #callReady}. */
    public void waitFor() {
        associate();
        try {
            select(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Selector of " + description + " failed", e);
        }
    }

    /** Serves what {@link #waitFor()} found ready; on the thread that called it. */
    public void callReady() {
        if (closed && Thread.currentThread() == loopThread) {
            return; // closed under its driver's feet: nothing is left to run
        }
        if (Thread.currentThread() != loopThread || !driverGuard.isDriver()) {
            Thread driver = driverGuard.driver();
            throw new IllegalStateException("callReady() of " + description + " must run on the thread that called "
                    + "waitFor()" + (driver != null ? " (the driver is thread '" + driver.getName() + "')"
                    : " (no thread drives it: call waitFor() first)"));
        }
        refreshClock(); // waitFor() may have blocked for long; the keys arm deadlines from the time they run
        Selector s = selector;
        if (s.isOpen()) {
            var keys = s.selectedKeys();
            for (SelectionKey key : keys) {
                dispatch(key);
            }
            keys.clear();
        }
        afterSelect();
    }

    /** Runs the loop on the calling thread until {@link #stopLoop()}. */
    public void loopProcessing() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        boolean claimed = driverGuard.claim(description, LoopDriverGuard.Mode.LOOP_PROCESSING);
        if (!looping.compareAndSet(false, true)) {
            if (claimed) {
                driverGuard.release();
            }
            throw new IllegalStateException("The loop of " + description + " already runs on this thread: "
                    + "loopProcessing() called from one of its callbacks");
        }
        try {
            runLoop();
        } finally {
            if (claimed) {
                loopThread = null;
                driverGuard.release();
            }
        }
    }

    /** The calling thread stops driving the loop it drove through {@link #waitFor()} / {@link #callReady()}. */
    public void stopDriving() {
        if (!driverGuard.isDriver()) {
            Thread driver = driverGuard.driver();
            throw new IllegalStateException("stopDriving() of " + description + " on thread '"
                    + Thread.currentThread().getName() + "', which does not drive it"
                    + (driver != null ? " (thread '" + driver.getName() + "' does)" : ""));
        }
        if (looping.get()) {
            throw new IllegalStateException("stopDriving() of " + description + " while its loop runs on this "
                    + "thread: end loopProcessing() with stopLoop()");
        }
        driven = false;
        loopThread = null;
        CURRENT_LOOP.remove();
        driverGuard.release();
    }

    /** The loop itself; the caller has claimed {@code looping}. */
    private void runLoop() {
        try {
            loopThread = Thread.currentThread();
            driven = true;
            CURRENT_LOOP.set(this);
            while (!stopRequested && !closeRequested && !closed) {
                try {
                    select(dispatcher);
                } catch (ClosedSelectorException e) {
                    break;
                } catch (IOException e) {
                    Loggers.LOOP.log(Level.ERROR, () -> "Selector of " + description + " failed; rebuilding it", e);
                    rebuildSelector();
                } catch (Throwable t) {
                    // Out of memory, a stack overflow: whatever it was, it ends this iteration, not the loop.
                    failed("the loop itself", t);
                }
                try {
                    afterSelect();
                } catch (Throwable t) {
                    failed("the loop itself", t);
                }
            }
        } finally {
            stopRequested = false;
            driven = false;
            CURRENT_LOOP.remove();
            if (closeRequested) {
                closeNow();
            }
            synchronized (loopEnd) {
                looping.set(false);
                loopEnd.notifyAll();
            }
        }
    }

    private void associate() {
        if (closed) {
            throw new IllegalStateException(description + " is closed");
        }
        driverGuard.claim(description, LoopDriverGuard.Mode.WAIT_FOR);
        loopThread = Thread.currentThread();
        driven = true;
        CURRENT_LOOP.set(this);
    }

    /** One select: dispatches ready keys to {@code action}, or leaves them in the selected-key set when null. */
    private void select(Consumer<SelectionKey> action) throws IOException {
        Selector s = selector;
        awake.set(false);
        // Dekker with submit(): we clear 'awake' then look at the queues; a submitter offers then looks at 'awake'.
        // One of the two always sees the other, so a task is never left waiting for a select that blocks forever.
        if (hasWork()) {
            awake.set(true);
            selectNow(s, action);
            return;
        }
        long waitNanos = deadlines.nanosUntilNext(clock.getAsLong());
        if (waitNanos == 0) {
            awake.set(true);
            selectNow(s, action);
            return;
        }
        long timeoutMillis = waitNanos < 0 ? 0 : Math.max(1, TimeUnit.NANOSECONDS.toMillis(waitNanos + 999_999));
        long started = System.nanoTime();
        int selected = action == null ? s.select(timeoutMillis) : s.select(action, timeoutMillis);
        awake.set(true);
        if (Thread.interrupted()) {
            // Interrupting the loop thread stops the loop, as terminating a LispWorks process does.
            stopRequested = true;
            return;
        }
        if (selected == 0 && !hasWork()) {
            long elapsed = System.nanoTime() - started;
            boolean premature = timeoutMillis == 0 || elapsed < TimeUnit.MILLISECONDS.toNanos(timeoutMillis) / 2;
            if (premature && ++prematureWakeups >= SELECTOR_REBUILD_THRESHOLD) {
                Loggers.LOOP.log(Level.WARNING, () -> "Selector of " + description + " returned early "
                        + SELECTOR_REBUILD_THRESHOLD + " times in a row; rebuilding it");
                rebuildSelector();
            } else if (!premature) {
                prematureWakeups = 0;
            }
        } else {
            prematureWakeups = 0;
        }
    }

    private static void selectNow(Selector s, Consumer<SelectionKey> action) throws IOException {
        if (action == null) {
            s.selectNow();
        } else {
            s.selectNow(action);
        }
    }

    private boolean hasWork() {
        // The stop flags count as work: a stopLoop() that lands between the loop's check and its select must not
        // find 'awake' still true, skip the wake-up, and leave the loop blocked.
        return !tasks.isEmpty() || !localTasks.isEmpty() || !readyList.isEmpty()
                || !afterDeregistration.isEmpty() || stopRequested || closeRequested;
    }

    private void dispatchSelected(SelectionKey key) {
        if (!clockFresh) {
            refreshClock();
        }
        dispatch(key);
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Selectable attachment = (Selectable) key.attachment();
        try {
            attachment.ready(key.readyOps());
        } catch (Throwable t) {
            // Our own code failed, or the JVM did (out of memory): keep the loop alive, drop the channel.
            failed(attachment, t);
            LoopCleanup.closeQuietly(attachment);
        }
    }

    private void afterSelect() {
        // Read again even if a key read it: its callbacks may have taken a while, and the tasks arm deadlines too.
        refreshClock();
        try {
            for (int n = afterDeregistration.size(); n > 0; n--) {
                runGuarded(afterDeregistration.poll());
            }
            runTasks();
            drainReady();
            if (deadlines.size() > 0) {
                deadlines.runExpired(now);
                drainReady();
            }
        } finally {
            // The next wait makes the time stale; the first key after it (or the next afterSelect) reads it anew.
            clockFresh = false;
        }
    }

    private void refreshClock() {
        now = clock.getAsLong();
        clockFresh = true;
    }

    private void runTasks() {
        // Bounded by what was queued when we started, so a busy submitter cannot starve the sockets.
        for (int n = tasksPending.get(); n > 0; n--) {
            Runnable t = tasks.poll();
            if (t == null) {
                break;
            }
            tasksPending.decrementAndGet();
            runGuarded(t);
        }
        for (int n = localTasks.size(); n > 0; n--) {
            runGuarded(localTasks.poll());
        }
    }

    private void drainReady() {
        // Rounds, not "until empty": a callback that keeps writing must not keep the loop from selecting.
        for (int n = readyList.size(); n > 0; n--) {
            Ready r = readyList.poll();
            try {
                r.processReady();
            } catch (Throwable t) {
                failed(r, t);
                LoopCleanup.closeQuietly(r);
            }
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (Throwable t) {
            try {
                owner.taskFailed(t);
            } catch (Throwable policyFailed) {
                failed("a queued function", t);
            }
        }
    }

    /** Counts and logs (rate-limited) a failure of the engine itself; the loop goes on. */
    private void failed(Object what, Throwable t) {
        engineFailures.incrementAndGet();
        FAILURES.log(Level.ERROR, () -> "Internal failure in " + description + " serving " + what
                + "; it is closed and the loop goes on", t);
    }

    /** @return failures of the engine itself that the loop survived (out of memory, a bug) */
    public long engineFailures() {
        return engineFailures.get();
    }

    /** Stops the running loop after its current iteration; nothing happens if no loop runs. */
    public void stopLoop() {
        // Only a running loop is stopped: a stop for no loop must not end the next one at once.
        if (looping.get()) {
            stopRequested = true;
            wakeup();
        }
    }

    /** @return whether the loop thread is alive (for {@link #startOwnThread} loops: until the loop ends) */
    public boolean isAlive() {
        Thread t = ownThread != null ? ownThread : loopThread;
        return !closed && t != null && t.isAlive() && (ownThread != null || looping.get());
    }

    /** @return whether the loop is closed */
    public boolean isClosed() {
        return closed;
    }

    /** @return whether {@link #close()} was called or the loop is closed: no new work is taken */
    public boolean isClosing() {
        return closed || closeRequested;
    }

    /** @return whether the calling thread is the loop thread */
    public boolean inLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    /** @return whether the calling thread runs the loop of another collection */
    public boolean inOtherLoopThread() {
        EventLoop current = CURRENT_LOOP.get();
        if (current == null || current == this) {
            return false;
        }
        // A thread that once drove a collection with waitFor keeps the thread-local: it only counts while that
        // collection is open and still driven by this thread.
        if (current.closed || !current.driven || current.loopThread != Thread.currentThread()) {
            CURRENT_LOOP.remove();
            return false;
        }
        return true;
    }

    /** @return whether a thread drives the loop now */
    public boolean isLoopRunning() {
        Thread t = loopThread;
        // The thread of startOwnThread owns the loop from before it starts, so that nobody else can take it over.
        return driven && !closed && t != null && (t.isAlive() || t == ownThread);
    }

    /**
     * @param timeout how long to wait
     * @return whether the loop's own thread ended (or, without one, whether the loop is closed)
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (ownThread == null) {
            return closed;
        }
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ work for the loop

    /**
     * Queues work: to the local queue on the loop thread (no wake-up needed), else to the shared one.
     *
     * @param task what to run on the loop thread
     * @throws RejectedExecutionException if the loop is closed
     */
    public void submit(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(description + " is closed");
        }
        if (Thread.currentThread() == loopThread) {
            localTasks.add(task);
            return;
        }
        tasks.offer(task);
        tasksPending.incrementAndGet();
        if (closed) {
            // closeNow ran between our check and the offer: nobody will run it, so release what it holds now.
            LoopCleanup.discardAll(tasks);
            throw new RejectedExecutionException(description + " is closed");
        }
        wakeup();
    }

    /**
     * Queues work unless the loop is closed: for work that is pointless after a close.
     *
     * @param task what to run on the loop thread
     * @return whether it was queued
     */
    public boolean submitIfOpen(Runnable task) {
        try {
            submit(task);
            return true;
        } catch (RejectedExecutionException closedMeanwhile) {
            return false;
        }
    }

    /** @param action run now on the loop thread, else queued there */
    public void runOnLoop(Runnable action) {
        if (inLoopThread()) {
            action.run();
        } else {
            submit(action);
        }
    }

    private void wakeup() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    /**
     * Runs {@code query} on the loop thread and waits for its answer, or runs it here when this is the loop thread,
     * no loop runs, or this is another loop's thread (waiting could deadlock two loops that call into each other;
     * these queries only read, so they may see the state a moment out of date).
     *
     * @param query what to compute
     * @param <T> the answer's type
     * @return the answer
     */
    public <T> T callOnLoop(Supplier<T> query) {
        if (inLoopThread() || !isLoopRunning() || closed || inOtherLoopThread()) {
            return query.get();
        }
        return LoopQuery.ask(this, description, query);
    }

    /** @param ready served on the ready list of this iteration; loop thread */
    public void markReady(Ready ready) {
        readyList.add(ready);
    }

    /** @param action run on the loop thread after the next select has flushed cancelled keys */
    public void afterDeregistration(Runnable action) {
        afterDeregistration.add(action);
    }

    /** @return the selector channels register with */
    public Selector selector() {
        return selector;
    }

    /**
     * The time every deadline is armed from: the loop clock's time read after the current iteration's wait
     * returned and before any of its keys, tasks or timeouts ran. Outside an iteration (a thread that drives the
     * loop through {@link #waitFor()} calls in between two {@link #callReady()}, or before the first select) the
     * clock is read now, so a deadline is never measured from a time before a wait.
     *
     * @return the loop clock's time, in nanoseconds; loop thread
     */
    public long now() {
        return clockFresh ? now : clock.getAsLong();
    }

    /** @return the loop clock's time now (not the iteration's); any thread */
    public long clockNanos() {
        return clock.getAsLong();
    }

    /** @return the loop's timeouts; loop thread */
    public DeadlineQueue deadlines() {
        return deadlines;
    }

    /** @return the loop's shared I/O buffers; loop thread */
    public LoopBuffers buffers() {
        return buffers;
    }

    /** @return functions queued from other threads and not yet run */
    public int tasksPending() {
        return tasksPending.get();
    }

    // ------------------------------------------------------------------ closing

    /**
     * Stops the loop, has the owner close everything and releases the selector. From another thread it waits (up
     * to 30 s) for the loop to finish its iteration; on the loop thread the loop closes once the current callback
     * returns.
     */
    public void close() {
        if (closed) {
            return;
        }
        closeRequested = true;
        if (inLoopThread() && looping.get()) {
            wakeup();
            return;
        }
        if (looping.get()) {
            wakeup();
            long deadline = System.nanoTime() + LOOP_ANSWER_TIMEOUT.toNanos();
            synchronized (loopEnd) {
                try {
                    long left;
                    while (looping.get() && (left = deadline - System.nanoTime()) > 0) {
                        loopEnd.wait(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
            if (looping.get()) {
                Loggers.LOOP.log(Level.WARNING, () -> "The loop of " + description + " did not stop within "
                        + LOOP_ANSWER_TIMEOUT.toSeconds() + " s; closing its channels anyway");
            }
        }
        closeNow();
    }

    private synchronized void closeNow() {
        if (closed) {
            return;
        }
        closed = true;
        driverGuard.clear();
        ChannelOwners.untrack(selectorRef);
        try {
            owner.closeAll();
        } catch (RuntimeException e) {
            Loggers.LOOP.log(Level.WARNING, () -> "Failure closing the channels of " + description, e);
        }
        try {
            selector.close();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.DEBUG, () -> "Failure closing the selector of " + description, e);
        }
        // Queued work that holds a socket (a connection on its way from an accepting handle) must not leak it.
        LoopCleanup.discardAll(tasks);
        tasksPending.set(0);
        LoopCleanup.discardAll(localTasks);
        readyList.clear();
    }

    private void rebuildSelector() {
        Selector old = selector;
        Selector fresh = LoopCleanup.moveKeys(old, description, transport);
        if (fresh != null) {
            selector = fresh;
            prematureWakeups = 0;
            LoopCleanup.close(old);
        }
    }

    /** @return the native reads and writes of direct buffers for this loop's sockets, or {@code null} on NIO */
    public DirectSocketIo socketIo() {
        return socketIo;
    }

    /** @return what the loop waits with, and why; any thread */
    public LoopSelectors transport() {
        return transport;
    }

    @Override
    public String toString() {
        return description;
    }
}
