package dev.asyncio.core.internal.engine;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.ConnectCallback;
import dev.asyncio.core.Direction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MemoryBudgetExceededException;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.StateSnapshot;
import dev.asyncio.core.internal.loop.Discardable;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.IntrusiveList;
import dev.asyncio.core.internal.loop.Ready;
import dev.asyncio.core.internal.loop.Selectable;
import dev.asyncio.core.internal.memory.Holder;
import dev.asyncio.core.internal.memory.MemoryAccount;
import dev.asyncio.core.internal.net.Channels;
import dev.asyncio.core.internal.write.OutboundQueue;
import dev.asyncio.core.internal.write.WriteOp;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

/**
 * The engine behind one {@link AsyncIoState}: its lifecycle, its selection key and interest ops, its place on the
 * loop's ready list, its statuses and settings, and the parts that do the work — the read side ({@link ReadSide}),
 * the output ({@link WritePath} around the {@link OutboundQueue}), the close sequence ({@link CloseSequence}) and the socket's kind
 * ({@link ChannelKind}: a stream with its transport, or datagrams). Fields marked volatile are read from any
 * thread; everything else is the loop thread's.
 */
public final class StateEngine implements Selectable, Ready, Holder {

    private static final int READY_READ = 1;
    private static final int READY_FLUSH = 2;

    private final AsyncIoState owner;
    private final CollectionContext ctx;
    private final EventLoop loop;
    private final ChannelKind kind;
    private final StateGroup group;
    private final StateOptions options;
    private final StateCounters counters;
    private final StateSettings settings;
    private final StateStatus status;
    private final MemoryAccount memory;
    private final ReadSide read;
    private final WritePath output;
    private final OutboundQueue out;
    /**
     * The graceful close and half-close, made on first use ({@link #closing()}, any thread): most states never close
     * gracefully, and an idle state is {@code 40} bytes lighter without one (issue 21). {@code null} = none requested.
     */
    private volatile CloseSequence close;
    private static final AtomicReferenceFieldUpdater<StateEngine, CloseSequence> CLOSE =
            AtomicReferenceFieldUpdater.newUpdater(StateEngine.class, CloseSequence.class, "close");
    private final long createdNanos = System.nanoTime();
    /** This state's place in its collection's list and in its handle's. */
    public final IntrusiveList.Node<StateEngine> collectionNode = new IntrusiveList.Node<>(this);
    /** This state's place in its handle's list. */
    public final IntrusiveList.Node<StateEngine> groupNode = new IntrusiveList.Node<>(this);

    private volatile Lifecycle lifecycle;
    /** A TLS attach, detach or handshake runs: it needs the state to itself. */
    private volatile boolean exclusive;

    /** Socket reads one wake-up serves at most, so one streaming peer cannot starve the others of its loop. */
    private static final int READS_PER_WAKEUP = 16;

    private SelectionKey key;
    private int interestOps;
    /** The memory budget is over its soft mark and this state is among the biggest holders: no socket reads. */
    private boolean readsPaused;
    private int readyFlags;
    private Connectable connect;

    /**
     * Makes the engine and registers the socket with the loop's selector; linking into the collection's (and the
     * handle's) list is loop work and is queued there when called from another thread.
     *
     * @param owner the public state
     * @param ctx the collection's shared parts
     * @param kind the socket and its kind
     * @param group the accepting handle, or {@code null}
     * @param options the state's options
     * @param connecting whether a connect is still under way
     */
    public StateEngine(AsyncIoState owner, CollectionContext ctx, ChannelKind kind, StateGroup group,
                       StateOptions options, boolean connecting) {
        this.owner = owner;
        this.ctx = ctx;
        this.loop = ctx.loop();
        this.kind = kind;
        this.group = group;
        this.options = options;
        this.settings = new StateSettings(options);
        this.lifecycle = connecting ? Lifecycle.CONNECTING : Lifecycle.OPEN;
        this.counters = new StateCounters(ctx.counters(), group != null ? group.counters() : null);
        this.status = new StateStatus(counters);
        this.memory = new MemoryAccount(ctx.budget());
        this.read = new ReadSide(this, options.maxRead());
        this.output = new WritePath(this, options, memory);
        this.out = output.queue();
        kind.bind(this);
    }

    /**
     * Registers the channel with the loop's selector and makes the state known (to its collection, its handle and
     * the memory budget); once, by the owner, right after construction. Not from the constructor: the listings hand
     * the owner to other threads, and an owner whose constructor has not yet stored this engine would fail there.
     *
     * @throws IllegalArgumentException if the channel cannot be registered
     * @throws IllegalStateException if the selector is closed
     */
    public void open() {
        register();
        memory.charge(MemoryAccount.STATE_BYTES);
        if (kind.sheddable()) {
            memory.enrol(this);
        }
    }

    private void register() {
        SelectableChannel channel = kind.channel();
        try {
            channel.configureBlocking(false);
            key = channel.register(loop.selector(), 0, this);
        } catch (IOException e) {
            Channels.closeQuietly(channel);
            throw new IllegalArgumentException("Cannot register " + channel + " with " + loop + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A selector closed concurrently, or a key of a keep-alive close not yet flushed by a select.
            Channels.closeQuietly(channel);
            throw new IllegalStateException("Cannot register " + channel + " with " + loop + ": " + e, e);
        }
        if (loop.inLoopThread() || !loop.isLoopRunning()) {
            link();
        } else {
            loop.submit(new Discardable() {
                @Override
                public void run() {
                    link();
                }

                @Override
                public void discard() {
                    // The collection closed before linking it: close the state, or its socket would leak.
                    closeNow(false);
                }
            });
        }
    }

    private void link() {
        if (isOpen()) {
            ctx.states().add(collectionNode);
            if (group != null) {
                group.link(this);
            }
        }
    }

    // =================================================================== parts and settings

    /** @return the public state */
    public AsyncIoState owner() {
        return owner;
    }

    /** @return the loop */
    public EventLoop loop() {
        return loop;
    }

    /** @return the collection's shared parts */
    public CollectionContext context() {
        return ctx;
    }

    /** @return the socket's kind */
    public ChannelKind kind() {
        return kind;
    }

    /** @return the accepting handle, or {@code null} */
    public StateGroup group() {
        return group;
    }

    /** @return the state's options (limits, callbacks) */
    public StateOptions options() {
        return options;
    }

    /** @return the read side */
    public ReadSide read() {
        return read;
    }

    /** @return the output */
    public OutboundQueue outbound() {
        return out;
    }

    /** @return the write direction: accepting, queueing and completing writes */
    public WritePath output() {
        return output;
    }

    /** @return the close sequence, made now if this is its first use; any thread */
    public CloseSequence closing() {
        CloseSequence c = close;
        if (c == null) {
            c = new CloseSequence(this);
            if (!CLOSE.compareAndSet(this, null, c)) {
                c = close;
            }
        }
        return c;
    }

    /**
     * @return whether {@code closeGracefully} was called (no new operation may start), without making the close
     *     sequence; any thread
     */
    public boolean closeRequested() {
        CloseSequence c = close;
        return c != null && c.isRequested();
    }

    /** @return whether a graceful close is finishing the output or draining: reads are refused; loop thread */
    public boolean closeRefusesReads() {
        CloseSequence c = close;
        return c != null && c.refusesReads();
    }

    /** @return what the state holds, charged to the memory budget */
    public MemoryAccount memory() {
        return memory;
    }

    /** The budget is over its soft mark: stop reading from the socket until {@link #resumeReads()}; loop thread. */
    public void pauseReads() {
        if (!readsPaused) {
            setInterest(SelectionKey.OP_READ, false);
            readsPaused = true;
        }
    }

    @Override
    public long queuedOutputBytes() {
        return out.queuedBytes();
    }

    @Override
    public long inputBufferBytes() {
        return read.inputCapacity();
    }

    /** The memory budget closes this state at its hard mark: both directions fail with the cause; loop thread. */
    @Override
    public void shed(MemoryBudgetExceededException cause) {
        status.readStatus(IoStatus.ERROR, cause);
        status.writeFailed(IoStatus.ERROR, cause);
        closeNow(false);
    }

    /** The budget is relieved: reading goes on where it stopped; loop thread. */
    public void resumeReads() {
        if (readsPaused) {
            readsPaused = false;
            if (read.isActive()) {
                setInterest(SelectionKey.OP_READ, true);
            }
        }
    }

    /** @return the byte counters */
    public StateCounters counters() {
        return counters;
    }

    /** @return the timeouts, the read deadline and the user info; any thread */
    public StateSettings settings() {
        return settings;
    }

    /** @return the read and write statuses; any thread */
    public StateStatus status() {
        return status;
    }

    // =================================================================== lifecycle and misuse

    /** @return whether the state is open */
    public boolean isOpen() {
        return lifecycle != Lifecycle.CLOSED;
    }

    /** @return whether a connect is still under way */
    public boolean isConnecting() {
        return lifecycle == Lifecycle.CONNECTING;
    }

    private void moveTo(Lifecycle next) {
        Lifecycle now = lifecycle;
        if (!now.canMoveTo(next)) {
            throw new IllegalStateException(owner + ": cannot go from " + now + " to " + next);
        }
        lifecycle = next;
    }

    /**
     * @param what the operation, for the message
     * @throws IllegalStateException if the state is closed or closing
     */
    public void requireUsable(String what) {
        if (!isOpen()) {
            throw new IllegalStateException(owner + ": " + what + " on a closed state");
        }
        if (closeRequested()) {
            throw new IllegalStateException(owner + ": " + what + " on a state that is closing (closeGracefully "
                    + "was called)");
        }
    }

    /**
     * @param what the operation, for the message
     * @throws IllegalStateException while a TLS attach, detach or handshake runs
     */
    public void requireNotExclusive(String what) {
        if (exclusive) {
            throw new IllegalStateException(owner + ": " + what + " while a TLS attach, detach or handshake runs "
                    + "(wait for its callback)");
        }
    }

    /**
     * Claims the state for a TLS attach, detach or handshake: no read or write may be active.
     *
     * @param what the operation, for the message
     * @throws IllegalStateException if an operation is active
     */
    public void claimExclusive(String what) {
        requireNotExclusive(what);
        if (!read.tryClaim()) {
            throw new IllegalStateException(owner + ": " + what + " while a read operation is active (TLS attach, "
                    + "detach and handshake need the state to themselves)");
        }
        if (out.isWriting()) {
            read.release();
            throw new IllegalStateException(owner + ": " + what + " while a write is active (TLS attach, detach and "
                    + "handshake need the state to themselves)");
        }
        exclusive = true;
    }

    /**
     * Claims the state for TLS set up by the library (connect, accept) on the loop thread.
     *
     * @return false if the user started an operation first
     */
    public boolean tryClaimExclusive() {
        if (!read.tryClaim() || out.isWriting()) {
            read.release();
            return false;
        }
        exclusive = true;
        return true;
    }

    /** Ends a TLS attach, detach or handshake. */
    public void releaseExclusive() {
        exclusive = false;
        read.release();
    }

    // =================================================================== a failed callback

    /** What the last failed callback threw, until the state is found still working after it. */
    private Throwable callbackFailure;

    /** @param failure what a callback of this state threw; loop thread */
    void callbackFailed(Throwable failure) {
        callbackFailure = failure;
    }

    /** @return what the last failed callback threw, or {@code null} */
    Throwable callbackFailure() {
        return callbackFailure;
    }

    /** The state went on working after its callback failed: a later close is not that failure's doing. */
    void clearCallbackFailure() {
        callbackFailure = null;
    }

    /**
     * @return whether the state goes on beyond its output: a read claimed, TLS or connect work, a graceful close
     *     under way (each selects the socket again, or ends the state by itself)
     */
    boolean keepsWorking() {
        return read.isClaimed() || exclusive || kind.isBusy() || isConnecting() || closeRequested();
    }

    /** @return whether output is queued or being written (it ends by itself, then {@link #outputDrained} runs) */
    boolean outputInFlight() {
        return out.isWriting() || !out.isEmpty() || kind.hasPendingOutput();
    }

    // =================================================================== writing

    private void flush() {
        if (lifecycle == Lifecycle.OPEN) {
            kind.flush();
        }
    }

    /** The output has nothing left to write (or failed): the one event the close sequence waits for. */
    public void outputDrained() {
        CloseSequence c = close;
        if (c != null && isOpen()) {
            c.outputDrained();
        }
        if (callbackFailure != null) {
            AbandonedStates.checkAfterFailure(this);
        }
    }

    // =================================================================== loop-side plumbing

    /** The connect under way, told of {@code OP_CONNECT}; {@code null} once done. */
    public void connect(Connectable attempt) {
        this.connect = attempt;
    }

    /** @return the connect under way, or {@code null} */
    public Connectable connect() {
        return connect;
    }

    /** The connect completed; loop thread. */
    public void connected() {
        moveTo(Lifecycle.OPEN);
        updateInterest();
        if (!out.isEmpty()) {
            markReady(READY_FLUSH);
        }
    }

    @Override
    public void ready(int readyOps) {
        if (lifecycle == Lifecycle.CONNECTING) {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0 && connect != null) {
                connect.connectable();
            }
            return;
        }
        if (kind.isBusy()) {
            kind.step();
            return;
        }
        CloseSequence c = close;
        if (c != null && c.isDraining()) {
            c.drain();
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && isOpen()) {
            read.readable();
            // As Netty's maxMessagesPerRead: while reads fill all their room the socket likely holds more, and
            // reading on at once saves a select per read (a streaming peer needs a third of the syscalls).
            for (int n = 1; n < READS_PER_WAKEUP && read.lastReadFilled() && mayReadOn(); n++) {
                read.readable();
            }
            afterRead();
            flushWhatTheReadsWrote();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && isOpen()) {
            flush();
        }
    }

    /**
     * What the read callbacks of this wake-up wrote goes out now, in one gathered write, as Netty flushes on
     * read-complete, rather than from the ready list after every other ready state has been read: a write that
     * completes at once hands its buffer back before the next state reads, so a loop serving a thousand
     * connections with pooled buffers needs one buffer, not one per connection (the pool ran dry and allocated
     * a 64 KiB buffer per message).
     */
    private void flushWhatTheReadsWrote() {
        if ((readyFlags & READY_FLUSH) != 0 && isOpen()) {
            readyFlags &= ~READY_FLUSH;
            flush();
        }
    }

    /** @return whether the read a callback started may go on in this wake-up: nothing paused or took over reading */
    private boolean mayReadOn() {
        return isOpen() && read.isActive() && !readsPaused && !kind.isBusy() && !kind.isPaused()
                && !closeRefusesReads(); // refusing reads includes draining
    }

    /**
     * Decrypted bytes left in the transport (more than one read took) will not make the socket readable again, so
     * the read goes on from the ready list; replies the transport produced while reading (TLS key updates) are
     * flushed through OP_WRITE.
     */
    private void afterRead() {
        if (!isOpen()) {
            return;
        }
        if (read.isActive() && kind.hasDecrypted()) {
            markReady(READY_READ);
        }
        if (kind.hasPendingOutput()) {
            setInterest(SelectionKey.OP_WRITE, true);
        }
    }

    @Override
    public void processReady() {
        int f = readyFlags;
        readyFlags = 0;
        if (!isOpen()) {
            return;
        }
        if ((f & READY_READ) != 0 && read.isActive() && lifecycle != Lifecycle.CONNECTING) {
            read.serveBuffered();
            afterRead();
        }
        if ((f & READY_FLUSH) != 0 && isOpen()) {
            flush();
        }
    }

    /** Serves the read from the ready list: input waits in memory. */
    public void markReadReady() {
        markReady(READY_READ);
    }

    /** Flushes from the ready list. */
    public void markFlushReady() {
        markReady(READY_FLUSH);
    }

    private void markReady(int flag) {
        if (readyFlags == 0) {
            loop.markReady(this);
        }
        readyFlags |= flag;
    }

    /**
     * @param op {@code OP_READ} or {@code OP_WRITE}
     * @param on whether to select for it
     */
    public void setInterest(int op, boolean on) {
        if (on && (kind.isPaused() || (readsPaused && op == SelectionKey.OP_READ))) {
            // Interest would only spin while the transport works off the loop; it marks the state ready after.
            return;
        }
        int ops = on ? interestOps | op : interestOps & ~op;
        if (ops != interestOps) {
            interestOps = ops;
            updateInterest();
        }
    }

    /** Selects for nothing while the transport works off the loop. */
    public void pauseInterest() {
        interestOps = 0;
        updateInterest();
    }

    /** Applies the interest ops to the key ({@code OP_CONNECT} alone while connecting). */
    public void updateInterest() {
        SelectionKey k = key;
        if (k == null || !k.isValid()) {
            return;
        }
        int ops = lifecycle == Lifecycle.CONNECTING ? SelectionKey.OP_CONNECT : interestOps;
        try {
            if (k.interestOps() != ops) {
                k.interestOps(ops);
            }
        } catch (RuntimeException cancelled) {
            // The key was cancelled by a concurrent close; nothing to select any more.
        }
    }

    @Override
    public void rekey(SelectionKey key) {
        this.key = key;
    }

    // =================================================================== closing

    /**
     * Closes the state now, without callbacks but that of a graceful close under way; loop thread.
     *
     * @param keepAlive leave the socket open
     * @return the buffered input not yet consumed
     */
    public int closeNow(boolean keepAlive) {
        if (!isOpen()) {
            return read.bufferedLength();
        }
        moveTo(Lifecycle.CLOSED);
        if (callbackFailure != null && status.readStatus() != IoStatus.ERROR
                && status.writeStatus() != IoStatus.ERROR) {
            // Closed because a callback failed (by the policy, or as abandoned): the close listeners, and the
            // starter's observation, see the failure as the close's cause.
            status.readStatus(IoStatus.ERROR, callbackFailure);
            counters.failure(IoStatus.ERROR);
        }
        int buffered = read.close();
        IdleWatch.stopNow(this); // out of the deadline queue now: it would hold the closed state until due
        out.drop(ctx.writeOps());
        output.idle();
        if (connect != null) {
            connect.cancel();
            connect = null;
        }
        // Stops a handshake or detach in progress, and sends close_notify if the socket takes it (LispWorks:
        // closing detaches SSL, also with keep-alive).
        kind.close();
        if (key != null) {
            key.cancel();
        }
        if (!keepAlive) {
            Channels.closeQuietly(kind.channel());
        }
        ctx.states().remove(collectionNode);
        if (group != null) {
            group.unlink(this);
        }
        out.release();
        exclusive = false;
        CloseSequence c = close;
        if (c != null) {
            c.closed();
        }
        memory.close();
        // Last, so that the callback sees the state fully closed; the lifecycle is CLOSED already, so this runs once.
        call(options.closedCallback());
        return buffered;
    }

    @Override
    public void closeSilently() {
        closeNow(false);
    }

    /**
     * Stops the operations of {@code direction} and calls {@code cb} with the arguments the stopped operation's
     * callback would have had (LispWorks {@code async-io-state-abort}); loop thread.
     *
     * @param direction which operations
     * @param cb the abort callback, or {@code null}
     */
    public void abort(Direction direction, BufferCallback cb) {
        if (!isOpen()) {
            return;
        }
        if (direction.includesInput() && read.isActive()) {
            boolean inputOnly = direction == Direction.INPUT;
            read.abort(cb, inputOnly);
            if (inputOnly) {
                return;
            }
        }
        if (direction.includesOutput() && !out.isEmpty()) {
            WriteOp w = out.head();
            byte[] buf = w.buf;
            int count = w.pos - w.start;
            out.drop(ctx.writeOps());
            output.idle();
            if (direction == Direction.OUTPUT) {
                call(cb, buf, count);
                return;
            }
        }
        call(cb, null, 0);
    }

    /**
     * Closes without callbacks, then calls {@code cb} (once the channel is deregistered, with {@code keepAlive});
     * loop thread.
     *
     * @param keepAlive leave the socket open
     * @param cb told once closed, or {@code null}
     */
    public void abortAndClose(boolean keepAlive, StateCallback cb) {
        closeNow(keepAlive);
        if (cb != null) {
            if (keepAlive) {
                loop.afterDeregistration(() -> call(cb));
            } else {
                call(cb);
            }
        }
    }

    // =================================================================== callbacks

    /**
     * @param cb run with this state, or nothing when {@code null}
     * @param buffer the buffer argument
     * @param count the count argument
     * @return false if it threw
     */
    public boolean call(BufferCallback cb, byte[] buffer, int count) {
        return ctx.invoker().call(cb, owner, group, buffer, count);
    }

    /**
     * @param cb run with this state, or nothing when {@code null}
     * @return false if it threw
     */
    public boolean call(StateCallback cb) {
        return ctx.invoker().call(cb, owner, group);
    }

    /**
     * @param cb run with this state
     * @param failure its argument
     * @return false if it threw
     */
    public boolean call(ConnectCallback cb, Throwable failure) {
        return ctx.invoker().call(cb, owner, group, failure);
    }

    // =================================================================== listings

    /** @return the local address, or {@code null} */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) ((NetworkChannel) kind.channel()).getLocalAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return the peer's address, or {@code null} */
    public InetSocketAddress peerAddress() {
        try {
            return kind.peerAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * @param name the state's name
     * @return a snapshot of the state; loop thread (or a moment out of date)
     */
    public StateSnapshot snapshot(String name) {
        return new StateSnapshot(name, localAddress(), peerAddress(), Duration.ofNanos(System.nanoTime()
                - createdNanos), counters.bytesRead(), counters.bytesWritten(), status.readStatus(), status.writeStatus(),
                read.isActive(), out.isWriting(), out.queuedBytes(), out.isWritable(), kind.proxyInfo());
    }

    @Override
    public String toString() {
        return owner.toString();
    }
}
