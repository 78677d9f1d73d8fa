package dev.asyncio.core;

import dev.asyncio.core.internal.DeadlineQueue;
import dev.asyncio.core.internal.TrafficCounters;
import dev.asyncio.core.internal.loop.LoopDriverGuard;
import dev.asyncio.core.internal.state.ChannelOwners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A wait-state-collection: one event loop, one {@link Selector}, driven by one thread at a time.
 *
 * <p>Most programs need only {@link #createAndRun(String)}, which starts a thread named
 * {@code "Loop Collection <name>"} that runs the loop until {@link #stopLoop()} or {@link #close()}, and closes the
 * collection when the loop ends. Programs that drive the loop themselves use {@link #create(String)} and then
 * {@link #loopProcessing()}, or {@link #waitFor()} and {@link #callReady()} in their own loop.
 *
 * <p><b>Threads.</b> Every public method may be called from any thread. Work that must happen on the loop is queued
 * to it, with one {@code Selector.wakeup()} per burst of submissions rather than one per call. Every callback of
 * every state and handle of the collection runs on the loop thread; callbacks must be short and must not block.
 * A callback that throws never ends the loop: the {@link CallbackErrorPolicy} decides what happens, and the failure
 * is counted.
 *
 * <p>LispWorks: {@code wait-state-collection} and its functions ({@code make-wait-state-collection},
 * {@code create-and-run-wait-state-collection}, {@code wait-for-wait-state-collection},
 * {@code call-wait-state-collection}, {@code loop-processing-wait-state-collection},
 * {@code wait-state-collection-stop-loop}, {@code wait-state-collection-alive-p},
 * {@code apply-in-wait-state-collection-process}, {@code close-wait-state-collection}).
 */
public final class WaitStateCollection implements Executor, AutoCloseable {

    /** Size of the loop's direct buffer for socket reads, and of its shared read-with-checking buffer. */
    static final int READ_BUFFER_SIZE = 64 * 1024;
    /** Size of the loop's direct buffer for gathered socket writes. */
    static final int WRITE_BUFFER_SIZE = 256 * 1024;
    /** Premature empty selects in a row after which the selector is rebuilt (the JDK epoll spin bug, as Netty). */
    private static final int SELECTOR_REBUILD_THRESHOLD = 512;
    /** How long {@link #close()} and cross-thread queries wait for the loop thread. */
    private static final Duration LOOP_ANSWER_TIMEOUT = Duration.ofSeconds(30);

    private final String name;
    private final CallbackErrorPolicy callbackErrorPolicy;
    private final LongSupplier clock;
    private final boolean daemon;

    private volatile Selector selector;
    /** Lets {@link ChannelOwners} find the states of this collection (kept here: the registry holds it weakly). */
    private final Supplier<Selector> selectorRef = () -> selector;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicInteger tasksPending = new AtomicInteger();
    /**
     * False only while the loop thread is (about to be) blocked in select. A submitter that flips it to true owns
     * the one wake-up for this burst; every other submitter sees true and skips {@code Selector.wakeup()}, which is
     * a system call.
     */
    private final AtomicBoolean awake = new AtomicBoolean(true);
    private final ArrayDeque<Runnable> localTasks = new ArrayDeque<>();
    private final ArrayDeque<AsyncIoState> readyStates = new ArrayDeque<>();
    private final ArrayDeque<Runnable> afterDeregistration = new ArrayDeque<>();
    private final DeadlineQueue deadlines = new DeadlineQueue();
    private final List<AcceptingHandle> handles = new CopyOnWriteArrayList<>();
    final TrafficCounters counters = new TrafficCounters();

    // Loop-thread-owned I/O buffers, shared by every state of the collection.
    final ByteBuffer readDirect = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    final ByteBuffer writeDirect = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);
    final byte[] checkingScratch = new byte[READ_BUFFER_SIZE];
    /** Completed writes, reused by the next ones on this loop (bounded: a burst must not pin memory forever). */
    final ArrayDeque<WriteOp> writeOps = new ArrayDeque<>();
    private static final int MAX_POOLED_WRITES = 1024;
    /** Kept in a field: a method reference written at the call would allocate on every loop iteration. */
    private final java.util.function.Consumer<SelectionKey> dispatcher = this::dispatch;

    // Intrusive list of open states, loop thread only: no per-state node objects.
    private AsyncIoState firstState;
    private volatile int stateCount;

    private volatile Thread loopThread;
    private final AtomicBoolean looping = new AtomicBoolean();
    /** One driver at a time, whichever way it drives (waitFor/callReady, loopProcessing, createAndRun). */
    private final LoopDriverGuard driverGuard = new LoopDriverGuard();
    /** True while a thread drives the loop: inside loopProcessing, or since waitFor associated it. */
    private volatile boolean driven;
    private final Object loopEnd = new Object();
    /** The collection whose loop the current thread runs, to spot calls from one loop into another. */
    private static final ThreadLocal<WaitStateCollection> CURRENT_LOOP = new ThreadLocal<>();
    private volatile boolean stopRequested;
    private volatile boolean closeRequested;
    private volatile boolean closed;
    private volatile Thread ownThread;
    private final CountDownLatch terminated = new CountDownLatch(1);
    private long now;
    private int prematureWakeups;

    private WaitStateCollection(Builder b) {
        this.name = b.name;
        this.callbackErrorPolicy = b.callbackErrorPolicy;
        this.clock = b.clock;
        this.daemon = b.daemon;
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot open a selector for collection " + name, e);
        }
        this.now = clock.getAsLong();
        ChannelOwners.track(selectorRef);
    }

    /**
     * Makes an empty collection that nothing runs yet (LispWorks {@code make-wait-state-collection}). Drive it with
     * {@link #loopProcessing()} or {@link #waitFor()} / {@link #callReady()}.
     *
     * @param name used in thread names, logs, listings and metrics
     * @return the collection
     */
    public static WaitStateCollection create(String name) {
        return builder(name).create();
    }

    /**
     * Makes a collection and starts a (non-daemon) thread {@code "Loop Collection <name>"} that runs its loop; the
     * collection is closed when the loop ends (LispWorks {@code create-and-run-wait-state-collection}).
     *
     * @param name used in the thread name, logs, listings and metrics
     * @return the running collection
     */
    public static WaitStateCollection createAndRun(String name) {
        return builder(name).createAndRun();
    }

    /**
     * As {@link #createAndRun(String)}, with a policy for failing callbacks (LispWorks {@code :handler}).
     *
     * @param name used in the thread name, logs, listings and metrics
     * @param policy what happens when a callback throws
     * @return the running collection
     */
    public static WaitStateCollection createAndRun(String name, CallbackErrorPolicy policy) {
        return builder(name).callbackErrorPolicy(policy).createAndRun();
    }

    /**
     * @param name the collection's name
     * @return a builder for the less common settings (daemon thread, clock)
     */
    public static Builder builder(String name) {
        return new Builder(name);
    }

    /** @return the collection's name */
    public String name() {
        return name;
    }

    /** @return what happens when a callback throws */
    public CallbackErrorPolicy callbackErrorPolicy() {
        return callbackErrorPolicy;
    }

    // ------------------------------------------------------------------ the loop

    /**
     * Blocks until a channel of the collection is ready, a function was queued from another thread, a timeout is
     * due, or {@link #stopLoop()} was called; makes the calling thread the collection's driver (LispWorks
     * {@code wait-for-wait-state-collection}: the calling process becomes the collection's). Follow it with
     * {@link #callReady()} on the same thread.
     *
     * <p>The thread stays the driver after {@code waitFor} returns, until it calls {@link #stopDriving()}, the
     * collection closes, or the thread ends: every callback keeps running on it, so no other thread may drive the
     * collection meanwhile.
     *
     * @throws IllegalStateException if the collection is closed, or another thread drives it (by any of
     *         {@code waitFor}, {@link #loopProcessing()} or {@link #createAndRun}); the message names that thread
     */
    public void waitFor() {
        associate();
        try {
            select(null);
        } catch (IOException e) {
            throw new UncheckedIOException("Selector of " + this + " failed", e);
        }
    }

    /**
     * Runs the callbacks of everything {@link #waitFor()} found ready, the functions queued to the loop and the
     * timeouts that are due (LispWorks {@code call-wait-state-collection}). Call it on the thread that called
     * {@code waitFor()}, the collection's driver. On a collection that was closed meanwhile it does nothing.
     *
     * @throws IllegalStateException if called on another thread than the driver that called {@code waitFor()}; the
     *         message names the driving thread
     */
    public void callReady() {
        if (closed && Thread.currentThread() == loopThread) {
            return; // closed under its driver's feet: nothing is left to run
        }
        if (Thread.currentThread() != loopThread || !driverGuard.isDriver()) {
            Thread driver = driverGuard.driver();
            throw new IllegalStateException("callReady() of " + this + " must run on the thread that called "
                    + "waitFor()" + (driver != null ? " (the driver is thread '" + driver.getName() + "')"
                    : " (no thread drives it: call waitFor() first)"));
        }
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

    /**
     * Runs the loop on the calling thread until {@link #stopLoop()} (LispWorks
     * {@code loop-processing-wait-state-collection}). A callback that throws does not end it. The calling thread is
     * the collection's driver while it runs; when it returns the thread stops being the driver (unless it already
     * was one through {@link #waitFor()}, which it then stays).
     *
     * @throws IllegalStateException if the collection is closed, or another thread drives it (by any of
     *         {@link #waitFor()}, {@code loopProcessing} or {@link #createAndRun}); the message names that thread
     */
    public void loopProcessing() {
        if (closed) {
            throw new IllegalStateException(this + " is closed");
        }
        boolean claimed = driverGuard.claim(this, LoopDriverGuard.Mode.LOOP_PROCESSING);
        if (!looping.compareAndSet(false, true)) {
            if (claimed) {
                driverGuard.release();
            }
            throw new IllegalStateException("The loop of " + this + " already runs on this thread: "
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

    /**
     * The calling thread stops driving the collection it drove through {@link #waitFor()} / {@link #callReady()}:
     * another thread may then drive it. Nothing else changes: states, handles and queued functions stay, and run on
     * the next driver.
     *
     * @throws IllegalStateException if the calling thread does not drive the collection, or runs its
     *         {@link #loopProcessing()} (that one ends with {@link #stopLoop()})
     */
    public void stopDriving() {
        if (!driverGuard.isDriver()) {
            Thread driver = driverGuard.driver();
            throw new IllegalStateException("stopDriving() of " + this + " on thread '"
                    + Thread.currentThread().getName() + "', which does not drive it"
                    + (driver != null ? " (thread '" + driver.getName() + "' does)" : ""));
        }
        if (looping.get()) {
            throw new IllegalStateException("stopDriving() of " + this + " while its loop runs on this thread: "
                    + "end loopProcessing() with stopLoop()");
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
                    Loggers.LOOP.log(Level.ERROR, () -> "Selector of " + this + " failed; rebuilding it", e);
                    rebuildSelector();
                }
                afterSelect();
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
            throw new IllegalStateException(this + " is closed");
        }
        driverGuard.claim(this, LoopDriverGuard.Mode.WAIT_FOR);
        loopThread = Thread.currentThread();
        driven = true;
        CURRENT_LOOP.set(this);
    }

    /** One select: dispatches ready keys to {@code action}, or leaves them in the selected-key set when null. */
    private void select(java.util.function.Consumer<SelectionKey> action) throws IOException {
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
                Loggers.LOOP.log(Level.WARNING, () -> "Selector of " + this + " returned early "
                        + SELECTOR_REBUILD_THRESHOLD + " times in a row; rebuilding it");
                rebuildSelector();
            } else if (!premature) {
                prematureWakeups = 0;
            }
        } else {
            prematureWakeups = 0;
        }
    }

    private static void selectNow(Selector s, java.util.function.Consumer<SelectionKey> action) throws IOException {
        if (action == null) {
            s.selectNow();
        } else {
            s.selectNow(action);
        }
    }

    private boolean hasWork() {
        // The stop flags count as work: a stopLoop() that lands between the loop's check and its select must not
        // find 'awake' still true, skip the wake-up, and leave the loop blocked.
        return !tasks.isEmpty() || !localTasks.isEmpty() || !readyStates.isEmpty()
                || !afterDeregistration.isEmpty() || stopRequested || closeRequested;
    }

    private void dispatch(SelectionKey key) {
        if (!key.isValid()) {
            return;
        }
        Object attachment = key.attachment();
        try {
            ((Selectable) attachment).ready(key.readyOps());
        } catch (RuntimeException | LinkageError e) {
            // Our own code failed (callbacks are caught closer to the user): keep the loop alive, drop the channel.
            Loggers.LOOP.log(Level.ERROR, () -> "Internal failure handling " + attachment + "; closing it", e);
            ((Selectable) attachment).closeSilently();
        }
    }

    private void afterSelect() {
        now = clock.getAsLong();
        runAfterDeregistration();
        runTasks();
        drainReady();
        if (deadlines.size() > 0) {
            deadlines.runExpired(now);
            drainReady();
        }
    }

    private void runAfterDeregistration() {
        for (int n = afterDeregistration.size(); n > 0; n--) {
            runGuarded(afterDeregistration.poll());
        }
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
        for (int n = readyStates.size(); n > 0; n--) {
            AsyncIoState s = readyStates.poll();
            try {
                s.processReady();
            } catch (RuntimeException | LinkageError e) {
                // Our own code failed (callbacks are caught closer to the user): keep the loop, drop the state.
                Loggers.LOOP.log(Level.ERROR, () -> "Internal failure serving " + s + "; closing it", e);
                s.closeSilently();
            }
        }
    }

    private void runGuarded(Runnable task) {
        try {
            task.run();
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            callbackFailed(null, null, t);
        }
    }

    /**
     * Stops {@link #loopProcessing()} on whatever thread runs it; it returns after the current iteration
     * (LispWorks {@code wait-state-collection-stop-loop}). For a collection made by {@link #createAndRun}, the
     * collection is closed when its loop ends. Callable from any thread; nothing happens if no loop runs.
     * Interrupting the loop thread stops the loop too, as terminating a LispWorks process does.
     */
    public void stopLoop() {
        // Only a running loop is stopped: a stop for no loop must not end the next one at once.
        if (looping.get()) {
            stopRequested = true;
            wakeup();
        }
    }

    /**
     * @return whether the collection's loop thread is alive (LispWorks {@code wait-state-collection-alive-p});
     *         meaningful for collections made by {@link #createAndRun}
     */
    public boolean isAlive() {
        Thread t = ownThread != null ? ownThread : loopThread;
        return !closed && t != null && t.isAlive() && (ownThread != null || looping.get());
    }

    /** @return whether {@link #close()} ran (or the loop of a {@link #createAndRun} collection ended) */
    public boolean isClosed() {
        return closed;
    }

    /** @return whether the calling thread is the collection's loop thread */
    public boolean inLoopThread() {
        return Thread.currentThread() == loopThread;
    }

    /**
     * Waits for the thread of a {@link #createAndRun} collection to end.
     *
     * @param timeout how long to wait
     * @return whether the collection is closed and its thread ended within the timeout
     * @throws InterruptedException if interrupted while waiting
     */
    public boolean awaitTermination(Duration timeout) throws InterruptedException {
        if (ownThread == null) {
            return closed;
        }
        return terminated.await(timeout.toNanos(), TimeUnit.NANOSECONDS);
    }

    // ------------------------------------------------------------------ running functions on the loop

    /**
     * Queues a function to run on the loop thread and returns at once, also when called on the loop thread: it
     * never runs synchronously (LispWorks {@code apply-in-wait-state-collection-process}). An exception it throws
     * goes to the {@link CallbackErrorPolicy}.
     *
     * @param function what to run
     * @throws RejectedExecutionException if the collection is closed
     */
    public void apply(Runnable function) {
        Objects.requireNonNull(function, "function");
        if (closed) {
            throw new RejectedExecutionException(this + " is closed");
        }
        submit(function);
    }

    /**
     * The same as {@link #apply(Runnable)}: the collection is an {@link Executor} that runs on its loop thread.
     *
     * @param command what to run
     * @throws RejectedExecutionException if the collection is closed
     */
    @Override
    public void execute(Runnable command) {
        apply(command);
    }

    /**
     * Queues internal work unless the collection is closed: for work that is pointless after a close (the states
     * and handles it concerns are closed with the collection).
     *
     * @return whether the work was queued
     */
    boolean submitIfOpen(Runnable task) {
        try {
            submit(task);
            return true;
        } catch (RejectedExecutionException closed) {
            return false;
        }
    }

    /**
     * Queues internal work: to the local queue on the loop thread (no wake-up needed), else to the shared one.
     *
     * @throws RejectedExecutionException if the collection is closed
     */
    void submit(Runnable task) {
        if (closed) {
            throw new RejectedExecutionException(this + " is closed");
        }
        if (Thread.currentThread() == loopThread) {
            localTasks.add(task);
            return;
        }
        tasks.offer(task);
        tasksPending.incrementAndGet();
        if (closed) {
            // closeNow ran between our check and the offer: nobody will run it, so release what it holds now.
            discardAll(tasks);
            throw new RejectedExecutionException(this + " is closed");
        }
        wakeup();
    }

    private void wakeup() {
        if (!awake.get() && awake.compareAndSet(false, true)) {
            Selector s = selector;
            s.wakeup();
        }
    }

    /**
     * Runs {@code query} on the loop thread and waits for its answer, or runs it here when this is the loop thread
     * or no loop runs.
     */
    <T> T callOnLoop(Supplier<T> query) {
        if (inLoopThread() || !isLoopRunning() || closed || inOtherLoopThread()) {
            // From another loop's callback, waiting could deadlock two loops that call into each other; these
            // queries only read, so they run here and may see the state a moment out of date.
            return query.get();
        }
        CompletableFuture<T> answer = new CompletableFuture<>();
        AtomicBoolean claimed = new AtomicBoolean();
        Runnable task = () -> {
            if (claimed.compareAndSet(false, true)) {
                try {
                    answer.complete(query.get());
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            }
        };
        try {
            submit(task);
            long deadline = System.nanoTime() + LOOP_ANSWER_TIMEOUT.toNanos();
            while (true) {
                try {
                    return answer.get(100, TimeUnit.MILLISECONDS);
                } catch (TimeoutException slice) {
                    if (!isLoopRunning() || closed) {
                        // The loop ended after we queued: nobody will run the task, so run it here (once).
                        task.run();
                    } else if (System.nanoTime() - deadline > 0) {
                        throw new IllegalStateException("The loop of " + this + " did not answer within "
                                + LOOP_ANSWER_TIMEOUT.toSeconds() + " s: a callback blocks it");
                    }
                }
            }
        } catch (RejectedExecutionException closedMeanwhile) {
            return query.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for the loop of " + this, e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException r) {
                throw r;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException(cause);
        }
    }

    /** @return whether the calling thread runs the loop of another collection */
    boolean inOtherLoopThread() {
        WaitStateCollection current = CURRENT_LOOP.get();
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

    boolean isLoopRunning() {
        Thread t = loopThread;
        // The thread of createAndRun owns the loop from before it starts, so that nobody else can take it over.
        return driven && !closed && t != null && (t.isAlive() || t == ownThread);
    }

    // ------------------------------------------------------------------ closing

    /**
     * Closes every state and accepting handle of the collection, without calling any of their callbacks; the loop
     * keeps running and new states may be added (LispWorks {@code close-wait-state-collection}, which also closes
     * the accepting handles, as they are wait states of the collection too). On the loop thread it happens before
     * the call returns; from another thread it is queued to the loop.
     */
    public void closeAllStates() {
        if (closed) {
            return;
        }
        if (inLoopThread() || !isLoopRunning()) {
            closeEverything();
        } else {
            submit(this::closeEverything);
        }
    }

    private void closeEverything() {
        for (AcceptingHandle h : handles) {
            h.closeSilently();
        }
        while (firstState != null) {
            firstState.closeSilently();
        }
    }

    /**
     * Stops the loop, closes every state and handle (no callbacks) and releases the selector. From another thread
     * it waits (up to 30 s) for the loop to finish its current iteration; on the loop thread the collection closes
     * as soon as the current callback returns. Closing twice does nothing.
     */
    @Override
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
                Loggers.LOOP.log(Level.WARNING, () -> "The loop of " + this + " did not stop within "
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
            closeEverything();
        } catch (RuntimeException e) {
            Loggers.LOOP.log(Level.WARNING, () -> "Failure closing the channels of " + this, e);
        }
        try {
            selector.close();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.DEBUG, () -> "Failure closing the selector of " + this, e);
        }
        // Queued work that holds a socket (a connection on its way from an accepting handle) must not leak it.
        discardAll(tasks);
        tasksPending.set(0);
        discardAll(localTasks);
        readyStates.clear();
    }

    private static void discardAll(java.util.Queue<Runnable> queue) {
        for (Runnable t = queue.poll(); t != null; t = queue.poll()) {
            if (t instanceof Discardable d) {
                try {
                    d.discard();
                } catch (RuntimeException e) {
                    Loggers.LOOP.log(Level.DEBUG, "Failure discarding queued work", e);
                }
            }
        }
    }

    /** Queued work that owns a resource and must release it if the collection closes before running it. */
    interface Discardable extends Runnable {
        void discard();
    }

    // ------------------------------------------------------------------ accepting connections

    /**
     * Listens on {@code port} and calls {@code connectionFunction} on the loop thread with a new state for every
     * accepted connection (LispWorks {@code accept-tcp-connections-creating-async-io-states}).
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called with the handle and each new state
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for one minute, or the address cannot be bound
     */
    public AcceptingHandle acceptTcpConnections(int port, ConnectionFunction connectionFunction) {
        return acceptTcpConnections(port, connectionFunction, AcceptOptions.DEFAULTS);
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction)}, with options.
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     * @throws IllegalArgumentException for a bad port, or {@code createState=false} (use {@link #acceptTcpConnectionsRaw})
     */
    public AcceptingHandle acceptTcpConnections(int port, ConnectionFunction connectionFunction,
                                                AcceptOptions options) {
        ServiceNames.checkPort("port", port);
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (!options.createState()) {
            throw new IllegalArgumentException("createState=false hands over raw sockets: use "
                    + "acceptTcpConnectionsRaw with a RawConnectionFunction");
        }
        return AcceptingHandle.bind(this, port, connectionFunction, null, options);
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction, AcceptOptions)}, with the service as LispWorks takes
     * it: a numeric string, a service name from {@code /etc/services} (such as {@code "http"}), or {@code null}
     * for an ephemeral port.
     *
     * @param service the port or service name; {@code null} = ephemeral
     * @param connectionFunction called with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return the bound handle
     * @throws IllegalArgumentException for an unknown service name
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     */
    public AcceptingHandle acceptTcpConnections(String service, ConnectionFunction connectionFunction,
                                                AcceptOptions options) {
        return acceptTcpConnections(ServiceNames.resolve(service, "tcp"), connectionFunction, options);
    }

    /**
     * As {@link #acceptTcpConnections(int, ConnectionFunction, AcceptOptions)}, for callers on the loop thread: the
     * bind, with its busy-port retry for {@link AcceptOptions#initTimeout()}, runs on a binder thread, so the loop
     * goes on serving its other states meanwhile (a synchronous bind on the loop thread is tried once, since
     * retrying there would block the loop). The init function runs on the binder thread. Callable from any thread.
     *
     * @param port 0 (ephemeral) to 65535
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options address, backlog, socket options, bind retry, limits
     * @return completed on the loop thread with the bound handle, or exceptionally with the
     *         {@link BindFailedException} (or argument error) the bind threw; completed on the binder thread if the
     *         collection closed meanwhile
     */
    public CompletableFuture<AcceptingHandle> acceptTcpConnectionsLater(int port,
                                                                        ConnectionFunction connectionFunction,
                                                                        AcceptOptions options) {
        ServiceNames.checkPort("port", port);
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        requireOpen();
        return dev.asyncio.core.internal.accept.DeferredBind.start(
                () -> acceptTcpConnections(port, connectionFunction, options), this);
    }

    /**
     * Accepts connections on a listening socket that is bound already, as {@link #acceptTcpConnections(int,
     * ConnectionFunction, AcceptOptions)} does on one it binds; the options that concern binding (address, family,
     * backlog, reuse-port, init timeout) do not apply, the others do, and the init function runs. The handle owns
     * the socket from now on.
     *
     * @param socket an open, bound listening socket (such as one inherited from the parent process)
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options socket options of accepted connections, limits, TLS, state options
     * @return the handle
     * @throws IllegalArgumentException if the socket is not bound, or {@code createState} is off
     * @throws IllegalStateException if the socket already belongs to a handle, naming it
     */
    public AcceptingHandle acceptTcpConnections(java.nio.channels.ServerSocketChannel socket,
                                                ConnectionFunction connectionFunction, AcceptOptions options) {
        Objects.requireNonNull(socket, "socket");
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        if (!options.createState()) {
            throw new IllegalArgumentException("createState=false is for acceptTcpConnectionsRaw");
        }
        Object holder = ChannelOwners.holder(socket);
        if (holder != null) {
            throw new IllegalStateException("acceptTcpConnections: " + socket + " already belongs to " + holder);
        }
        return AcceptingHandle.adopt(this, socket, connectionFunction, null, options);
    }

    /**
     * Wraps the socket this JVM inherited from the process that started it ({@link System#inheritedChannel()}:
     * inetd, systemd {@code StandardInput=socket}, {@code socat ... EXEC}) in a state: the Java form of LispWorks'
     * {@code create-async-io-state} with an integer file descriptor. A connected TCP socket becomes a TCP state, a
     * UDP socket a UDP state; host names resolve as {@link StateOptions#ipv6()} says.
     *
     * <p>Two JDK facts to know. An inherited UDP socket is unconnected as far as Java can tell (the JDK does not read
     * its peer), so the state uses {@link AsyncIoState#sendMessageToAddress}; for a connected state (LispWorks
     * {@code :udp :connected}) connect {@code System.inheritedChannel()} to the peer before calling this. And
     * closing an inherited socket (closing its state without keep-alive) makes the JDK point the JVM's standard
     * input, output and error at {@code /dev/null}, since inetd passes the socket on all three.
     *
     * @param options name, user info, timeouts, output queueing and limits, {@code ipv6}
     * @return the new state
     * @throws IllegalStateException if no socket was inherited, a listening one was (use
     *         {@link #acceptInheritedConnections}), or the inherited socket already has a state
     */
    public AsyncIoState createStateForInheritedChannel(StateOptions options) {
        Objects.requireNonNull(options, "options");
        var channel = dev.asyncio.core.internal.net.InheritedChannels.forState("createStateForInheritedChannel");
        return channel instanceof SocketChannel tcp ? createState(tcp, options)
                : createState((java.nio.channels.DatagramChannel) channel, options);
    }

    /**
     * Accepts connections on the listening socket this JVM inherited from the process that started it
     * ({@link System#inheritedChannel()}), as {@link #acceptTcpConnections(java.nio.channels.ServerSocketChannel,
     * ConnectionFunction, AcceptOptions)} does: LispWorks' integer-descriptor case for a listening socket. Closing
     * the handle closes the inherited socket, after which the JDK points the JVM's standard input, output and error
     * at {@code /dev/null}.
     *
     * @param connectionFunction called on the loop thread with the handle and each new state
     * @param options socket options of accepted connections, limits, TLS, state options
     * @return the handle
     * @throws IllegalStateException if no listening socket was inherited, or it already belongs to a handle
     */
    public AcceptingHandle acceptInheritedConnections(ConnectionFunction connectionFunction, AcceptOptions options) {
        return acceptTcpConnections(
                dev.asyncio.core.internal.net.InheritedChannels.listening("acceptInheritedConnections"),
                connectionFunction, options);
    }

    /**
     * Listens like {@link #acceptTcpConnections} but hands every accepted socket, still in blocking mode, to
     * {@code connectionFunction} instead of making a state (LispWorks {@code :create-state nil}): use it with
     * another collection, a thread, or a blocking stream. Runs on the loop thread. Such connections are not
     * counted against {@link AcceptOptions#maxConnections()}.
     *
     * @param service the port or service name; {@code null} = ephemeral
     * @param connectionFunction called with the handle and each accepted socket, which it then owns
     * @param options address, backlog, socket options, bind retry ({@code createState} is ignored)
     * @return the bound handle
     * @throws BindFailedException if the port stays busy for {@code options.initTimeout()}, or cannot be bound
     */
    public AcceptingHandle acceptTcpConnectionsRaw(String service, RawConnectionFunction connectionFunction,
                                                   AcceptOptions options) {
        Objects.requireNonNull(connectionFunction, "connectionFunction");
        Objects.requireNonNull(options, "options");
        return AcceptingHandle.bind(this, ServiceNames.resolve(service, "tcp"), null, connectionFunction,
                options.toBuilder().createState(false).build());
    }

    void handleOpened(AcceptingHandle handle) {
        handles.add(handle);
    }

    void handleClosed(AcceptingHandle handle) {
        handles.remove(handle);
    }

    // ------------------------------------------------------------------ states

    /**
     * Wraps a connected socket in a state of this collection (LispWorks {@code create-async-io-state}). The
     * channel is switched to non-blocking mode; don't do I/O on it yourself until the state is closed.
     *
     * @param channel a connected TCP socket
     * @return the new state
     * @throws IllegalArgumentException if the channel is closed
     */
    public AsyncIoState createState(SocketChannel channel) {
        return createState(channel, StateOptions.DEFAULTS);
    }

    /**
     * As {@link #createState(SocketChannel)}, with options.
     *
     * <p>A channel has one state at a time (LispWorks: the object must not be used elsewhere until
     * {@code close-async-io-state}): a channel that has an open state in any collection is refused; after that
     * state's {@link AsyncIoState#close(boolean) close(true)} (keep-alive) it may be wrapped again.
     *
     * @param channel a connected TCP socket
     * @param options name, user info, timeouts, output queueing and limits
     * @return the new state
     * @throws IllegalArgumentException if the channel is closed
     * @throws IllegalStateException if the channel already has an open state, naming it, or (on the loop thread
     *         only) its previous state was closed with keep-alive in this same loop iteration
     */
    public AsyncIoState createState(SocketChannel channel, StateOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("createState needs an open channel");
        }
        if (!channel.isConnected()) {
            throw new IllegalArgumentException("createState needs a connected socket (use connectTcp to connect)");
        }
        requireOpen();
        requireNoState(channel);
        return AsyncIoState.register(this, channel, null, options, false);
    }

    /**
     * Starts a non-blocking TCP connect and returns the new state at once; {@code callback} runs on the loop
     * thread with {@code (state, null)} once connected, or {@code (state, failure)} if the connect failed or timed
     * out (the state is then closed). LispWorks {@code create-async-io-state-and-connected-tcp-socket}.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param port 1 to 65535
     * @param callback told of the outcome
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(String host, int port, ConnectCallback callback) {
        return connectTcp(host, port, callback, ConnectOptions.DEFAULTS);
    }

    /**
     * As {@link #connectTcp(String, int, ConnectCallback)}, with the service as a port number string or name.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param service a port number or service name
     * @param callback told of the outcome
     * @param options timeout, local bind, socket options, state options
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(String host, String service, ConnectCallback callback, ConnectOptions options) {
        return connectTcp(host, ServiceNames.resolve(service, "tcp"), callback, options);
    }

    /**
     * As {@link #connectTcp(String, int, ConnectCallback)}, with options. Host names are resolved off the loop
     * thread, so a slow DNS answer never blocks the loop.
     *
     * @param host a host name or literal address; {@code null} = the loopback address
     * @param port 1 to 65535
     * @param callback told of the outcome
     * @param options timeout, local bind, socket options, state options
     * @return the new state, not yet connected
     */
    public AsyncIoState connectTcp(String host, int port, ConnectCallback callback, ConnectOptions options) {
        ServiceNames.checkPort("port", port);
        if (port == 0) {
            throw new IllegalArgumentException("port must be 1 to 65535 to connect, got 0");
        }
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        requireOpen();
        return TcpConnector.connect(this, host, port, callback, options);
    }

    /**
     * Makes an unconnected UDP socket, bound if {@link UdpOptions#localAddress()} or {@link UdpOptions#localPort()}
     * is set, and a state for it (LispWorks {@code create-async-io-state-and-udp-socket}): use
     * {@link AsyncIoState#receiveMessage} and {@link AsyncIoState#sendMessageToAddress}. Output queues by default.
     *
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     * @throws java.io.UncheckedIOException if the socket cannot be made or bound (with {@code errorp} on)
     */
    public AsyncIoState openUdp(UdpOptions options) {
        Objects.requireNonNull(options, "options");
        requireOpen();
        return UdpSockets.open(this, null, 0, options);
    }

    /**
     * Makes a UDP socket connected to {@code host:port} and a state for it (LispWorks
     * {@code create-async-io-state-and-connected-udp-socket}): sends go to, and datagrams come only from, that peer;
     * use {@link AsyncIoState#sendMessage} and {@link AsyncIoState#receiveMessage}. The host is resolved on the
     * calling thread.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     * @throws IllegalArgumentException for a bad port or an unknown host (with {@code errorp} on)
     */
    public AsyncIoState connectUdp(String host, int port, UdpOptions options) {
        Objects.requireNonNull(options, "options");
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        requireOpen();
        return UdpSockets.open(this, host == null ? InetAddress.getLoopbackAddress().getHostAddress() : host, port,
                options);
    }

    /**
     * As {@link #connectUdp(String, int, UdpOptions)}, with the service as a port number string or name.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param service a port number or service name
     * @param options local bind, family, {@code errorp}, state options
     * @return the new state, or {@code null} if it failed and {@code errorp} is off
     */
    public AsyncIoState connectUdp(String host, String service, UdpOptions options) {
        return connectUdp(host, ServiceNames.resolve(service, "udp"), options);
    }

    /**
     * Wraps an existing UDP socket, connected or not, in a state (LispWorks {@code create-async-io-state} with
     * {@code :udp t} or {@code :connected}). Output queues only if {@code options} say so, as in LispWorks. Host
     * names given to {@link AsyncIoState#sendMessageToAddress} resolve in {@link StateOptions#ipv6()}'s family, by
     * default the channel's own (LispWorks {@code :ipv6}).
     *
     * @param channel an open datagram channel
     * @param options name, user info, timeouts, output queueing and limits, {@code ipv6}
     * @return the new state
     * @throws IllegalStateException if the channel already has an open state, naming it, or (on the loop thread
     *         only) its previous state was closed with keep-alive in this same loop iteration
     * @throws IllegalArgumentException if {@link StateOptions#ipv6()} contradicts the channel's family
     */
    public AsyncIoState createState(java.nio.channels.DatagramChannel channel, StateOptions options) {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(options, "options");
        if (!channel.isOpen()) {
            throw new IllegalArgumentException("createState needs an open channel");
        }
        requireOpen();
        requireNoState(channel);
        IpFamily family = dev.asyncio.core.internal.net.DatagramFamily.of(channel, options.ipv6());
        AsyncIoState state = AsyncIoState.register(this, channel, null, options, false);
        state.setUdpFamily(family);
        return state;
    }

    /**
     * One state per channel: refuses a channel that an open state or handle of any collection holds, and after a
     * keep-alive close waits for the old registration to leave this selector (it goes at the selector's next select).
     */
    private void requireNoState(java.nio.channels.SelectableChannel channel) {
        Object holder = ChannelOwners.holder(channel);
        if (holder != null) {
            throw new IllegalStateException("createState: " + channel + " already has a state, " + holder
                    + ": one state per channel; close that one first (close(true) keeps the socket open)");
        }
        if (!ChannelOwners.cancelledOn(channel, selector)) {
            return;
        }
        String pending = "createState: " + channel + " was closed with keepAlive in " + this + " and is released "
                + "at the loop's next select";
        if (inLoopThread()) {
            throw new IllegalStateException(pending + "; call createState from a later apply(...) or another thread");
        }
        if (isLoopRunning()) {
            callOnLoop(() -> null); // the loop runs queued work only after a select, which drops the old key
        } else {
            try {
                selector.selectNow(key -> { }); // nobody selects now: drop the old key ourselves
            } catch (IOException | RuntimeException e) {
                throw new IllegalStateException(pending + ", and the select failed: " + e, e);
            }
        }
        if (ChannelOwners.cancelledOn(channel, selector)) {
            throw new IllegalStateException(pending + ", which has not happened yet; try again");
        }
    }

    void link(AsyncIoState state) {
        state.nextInCollection = firstState;
        if (firstState != null) {
            firstState.prevInCollection = state;
        }
        firstState = state;
        stateCount++;
    }

    void unlink(AsyncIoState state) {
        if (state.prevInCollection != null) {
            state.prevInCollection.nextInCollection = state.nextInCollection;
        } else if (firstState == state) {
            firstState = state.nextInCollection;
        } else {
            return;
        }
        if (state.nextInCollection != null) {
            state.nextInCollection.prevInCollection = state.prevInCollection;
        }
        state.prevInCollection = null;
        state.nextInCollection = null;
        stateCount--;
    }

    /** @return the open accepting handles of the collection */
    public List<AcceptingHandle> handles() {
        return List.copyOf(handles);
    }

    /** @return the open states of the collection (asks the loop thread when called from another thread) */
    public List<AsyncIoState> states() {
        return callOnLoop(() -> {
            List<AsyncIoState> all = new ArrayList<>(stateCount);
            for (AsyncIoState s = firstState; s != null; s = s.nextInCollection) {
                all.add(s);
            }
            return all;
        });
    }

    /** @return a snapshot of the collection's counters; cheap, callable from any thread */
    public CollectionStatistics statistics() {
        return new CollectionStatistics(name, isAlive(), stateCount, handles.size(), tasksPending.get(),
                counters.bytesRead(), counters.bytesWritten(), counters.timeouts(), counters.errors(),
                counters.callbackFailures());
    }

    // ------------------------------------------------------------------ plumbing for states and handles

    Selector selector() {
        return selector;
    }

    long now() {
        return now;
    }

    DeadlineQueue deadlines() {
        return deadlines;
    }

    void recycle(WriteOp op) {
        if (writeOps.size() < MAX_POOLED_WRITES) {
            writeOps.add(op);
        }
    }

    void markReady(AsyncIoState state) {
        readyStates.add(state);
    }

    /** Runs {@code action} on the loop thread after the next select has flushed cancelled keys. */
    void afterDeregistration(Runnable action) {
        afterDeregistration.add(action);
    }

    void requireOpen() {
        if (closed || closeRequested) {
            throw new IllegalStateException(this + " is closed");
        }
    }

    void callbackFailed(AsyncIoState state, AcceptingHandle handle, Throwable failure) {
        counters.callbackFailure();
        if (handle != null) {
            handle.counters.callbackFailure();
        }
        try {
            callbackErrorPolicy.callbackFailed(new CallbackFailure(this, state, handle, failure));
        } catch (Throwable t) {
            if (t instanceof VirtualMachineError e) {
                throw e;
            }
            Loggers.CALLBACKS.log(Level.ERROR, () -> "The CallbackErrorPolicy of " + this + " failed", t);
        }
    }

    static InetAddress loopback() {
        return InetAddress.getLoopbackAddress();
    }

    static String describe(InetSocketAddress a) {
        if (a == null) {
            return "?";
        }
        String host = a.getAddress() != null ? a.getAddress().getHostAddress() : a.getHostString();
        return (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":" + a.getPort();
    }

    private void rebuildSelector() {
        Selector old = selector;
        Selector fresh;
        try {
            fresh = Selector.open();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.ERROR, () -> "Cannot open a new selector for " + this, e);
            return;
        }
        for (SelectionKey key : old.keys()) {
            if (!key.isValid()) {
                continue;
            }
            Object attachment = key.attachment();
            try {
                int ops = key.interestOps();
                key.cancel();
                SelectionKey moved = key.channel().register(fresh, ops, attachment);
                ((Selectable) attachment).rekey(moved);
            } catch (IOException | RuntimeException e) {
                Loggers.LOOP.log(Level.WARNING, () -> "Cannot move " + attachment + " to the new selector", e);
                ((Selectable) attachment).closeSilently();
            }
        }
        selector = fresh;
        prematureWakeups = 0;
        try {
            old.close();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.DEBUG, "Failure closing the old selector", e);
        }
    }

    @Override
    public String toString() {
        return "WaitStateCollection[" + name + "]";
    }

    /** Builds a collection with less common settings. */
    public static final class Builder {
        private final String name;
        private CallbackErrorPolicy callbackErrorPolicy = CallbackErrorPolicy.LOG;
        private boolean daemon;
        private LongSupplier clock = System::nanoTime;

        private Builder(String name) {
            this.name = Objects.requireNonNull(name, "name");
        }

        /** @param policy what happens when a callback throws (LispWorks {@code :handler}) @return this */
        public Builder callbackErrorPolicy(CallbackErrorPolicy policy) {
            this.callbackErrorPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** @param daemon whether the thread of {@link #createAndRun()} is a daemon (default false: it keeps the JVM alive) @return this */
        public Builder daemon(boolean daemon) {
            this.daemon = daemon;
            return this;
        }

        /** @param nanoClock the loop's clock for timeouts, in nanoseconds (tests inject one) @return this */
        public Builder nanoClock(LongSupplier nanoClock) {
            this.clock = Objects.requireNonNull(nanoClock, "nanoClock");
            return this;
        }

        /** @return a collection that nothing runs yet */
        public WaitStateCollection create() {
            return new WaitStateCollection(this);
        }

        /** @return a collection whose loop runs on a new thread {@code "Loop Collection <name>"} */
        public WaitStateCollection createAndRun() {
            WaitStateCollection c = new WaitStateCollection(this);
            Thread t = new Thread(() -> {
                try {
                    c.runLoop();
                } finally {
                    c.closeNow();
                    c.terminated.countDown();
                }
            }, "Loop Collection " + name);
            t.setDaemon(daemon);
            c.ownThread = t;
            c.driverGuard.claimFor(c, t, LoopDriverGuard.Mode.CREATE_AND_RUN);
            c.loopThread = t;
            // Claimed before the thread starts: a loopProcessing() elsewhere right after we return must be refused.
            c.looping.set(true);
            t.start();
            return c;
        }
    }
}
