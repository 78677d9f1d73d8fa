package dev.asyncio.core;

import dev.asyncio.core.internal.DeadlineQueue;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.NetworkChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An async-io-state: one socket inside one {@link WaitStateCollection}, with at most one read-direction operation
 * and one write operation in flight (more writes queue when {@link StateOptions#queueOutput()} is on).
 *
 * <p>An operation ({@link #readBuffer}, {@link #readWithChecking}, {@link #writeBuffer}, {@link #waitForInput})
 * returns at once; its callback runs later on the collection's loop thread, never inside the call that started it.
 * Every method may be called from any thread.
 *
 * <p><b>Outcomes.</b> A completion callback gets the byte count; the state's {@link #readStatus()} or
 * {@link #writeStatus()} says why the operation ended: {@link IoStatus#OK}, {@link IoStatus#EOF} (peer closed),
 * {@link IoStatus#TIMEOUT} (no progress for the direction's timeout) or {@link IoStatus#ERROR} (cause in
 * {@link #readFailure()} / {@link #writeFailure()}). On an error the operation's error callback runs instead, if one
 * was given ({@link OperationOptions#errorCallback()}). I/O failures never throw from these methods.
 *
 * <p><b>Misuse fails fast</b> with {@link IllegalStateException} thrown to the caller, naming the state and the rule:
 * a second read while one is active, a second write without {@code queueOutput}, {@link #discard} or
 * {@link #finish} outside a read-with-checking callback, any operation on a closed state, {@link #getBufferedData}
 * while an operation is active. Bad ranges and sizes throw {@link IllegalArgumentException}.
 *
 * <p><b>Timeouts</b> are idle timeouts: an operation times out when its direction makes no progress (no byte read,
 * or no byte written) for the direction's timeout, counted from the start of the operation and restarted by every
 * byte that moves. {@code readWithChecking} therefore times out an idle connection, not a long one.
 *
 * <p>LispWorks: {@code async-io-state} and the {@code async-io-state-*} functions.
 */
public final class AsyncIoState implements Selectable {

    private static final VarHandle READ_BUSY;
    private static final VarHandle WRITE_BUSY;
    private static final VarHandle BYTES_READ;
    private static final VarHandle BYTES_WRITTEN;
    private static final AtomicLong NAMES = new AtomicLong();

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            READ_BUSY = l.findVarHandle(AsyncIoState.class, "readBusy", int.class);
            WRITE_BUSY = l.findVarHandle(AsyncIoState.class, "writeBusy", int.class);
            BYTES_READ = l.findVarHandle(AsyncIoState.class, "bytesRead", long.class);
            BYTES_WRITTEN = l.findVarHandle(AsyncIoState.class, "bytesWritten", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final byte NO_READ = 0;
    private static final byte READ_BUFFER = 1;
    private static final byte READ_CHECKING = 2;
    private static final byte WAIT_INPUT = 3;
    private static final byte RECEIVE = 4;
    /** Largest UDP payload over IPv4 (65,535 - 8 - 20). */
    static final int MAX_DATAGRAM = 65_507;

    /** How long a graceful close waits for the peer's EOF after sending its own. */
    private static final long DRAIN_TIMEOUT_NANOS = java.util.concurrent.TimeUnit.SECONDS.toNanos(2);

    private static final int READY_READ = 1;
    private static final int READY_FLUSH = 2;

    final WaitStateCollection collection;
    private final SelectableChannel channel;
    private final SocketChannel tcp;
    private final DatagramChannel udp;
    private SelectionKey key;
    private final AcceptingHandle handle;
    private final long createdNanos = System.nanoTime();

    // Null until asked for or set: a generated name per idle connection would cost ~50 bytes of heap each.
    private volatile String name;
    private final long id = NAMES.incrementAndGet();
    private volatile Object userInfo;
    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private volatile int maxRead;
    private final boolean queueOutput;
    // Limits stay in the (usually shared) options object: one reference instead of five copied fields per state.
    private final StateOptions limits;

    private volatile IoStatus readStatus = IoStatus.OK;
    private volatile IoStatus writeStatus = IoStatus.OK;
    private volatile Throwable readFailure;
    private volatile Throwable writeFailure;
    private volatile boolean open = true;
    private volatile boolean connecting;
    private volatile boolean writable = true;
    private volatile long queued;
    private volatile TlsSide tlsSide;
    /** Set by closeGracefully: no new operation may start. */
    private volatile boolean closing;
    /** Null until set: then it replaces the options' writability callback for this state. */
    private volatile StateCallback writabilityCallback;
    private volatile boolean tlsBusy;

    // Claimed by the caller's thread (so misuse throws there), released by the loop before the callback runs.
    @SuppressWarnings("unused")
    private volatile int readBusy;
    @SuppressWarnings("unused")
    private volatile int writeBusy;

    // ---- loop-thread-owned from here on
    private int interestOps;
    private int readyFlags;

    private byte readKind = NO_READ;
    private int readGeneration;
    private byte[] readBuf;
    private int readStart;
    private int readEnd;
    private int readPos;
    private BufferCallback readCallback;
    private BufferCallback readErrorCallback;
    private StateCallback waitCallback;
    private MessageCallback messageCallback;
    private long lastReadProgress;
    private Deadline readDeadline;

    // Read-with-checking: undiscarded input lives in 'input' between callbacks; during a callback that started
    // from an empty buffer it lives in the collection's shared scratch array ('presented'), so idle states hold
    // no buffer at all.
    private byte[] input;
    private int inputLength;
    private byte[] presented;
    private int presentedLength;
    private boolean inCheckingCallback;
    private int oldLength;

    private WriteOp currentWrite;
    private ArrayDeque<WriteOp> writeQueue;
    private long lastWriteProgress;
    private int lastPartialWrite;
    private Deadline writeDeadline;
    private boolean closeWhenFlushed;
    private boolean draining;
    private Direction shutdownWhenFlushed;
    private ShutdownCallback shutdownCallback;
    private DeadlineQueue.Entry closeDeadline;
    private StateCallback gracefulCloseCallback;

    // Written by the loop thread only, with opaque stores: other threads see them eventually, with no fence cost.
    private long bytesRead;
    private long bytesWritten;
    private TcpConnector.ConnectAttempt connectAttempt;
    private TlsSession tls;
    /** The family a UDP state was made for: host names resolve in it, and IPV6 ignores IPv4 senders. */
    private IpFamily udpFamily = IpFamily.ANY;

    AsyncIoState prevInCollection;
    AsyncIoState nextInCollection;
    AsyncIoState prevInHandle;
    AsyncIoState nextInHandle;

    private AsyncIoState(WaitStateCollection collection, SelectableChannel channel, AcceptingHandle handle,
                         StateOptions options) {
        this.collection = collection;
        this.channel = channel;
        this.tcp = channel instanceof SocketChannel sc ? sc : null;
        this.udp = channel instanceof DatagramChannel dc ? dc : null;
        this.handle = handle;
        this.name = options.name();
        this.userInfo = options.userInfo();
        this.readTimeoutNanos = Timeouts.toNanos(options.readTimeout());
        this.writeTimeoutNanos = Timeouts.toNanos(options.writeTimeout());
        this.maxRead = options.maxRead();
        this.queueOutput = options.queueOutput();
        this.limits = options;
    }

    /**
     * Makes a state and registers its channel with the collection's selector. Registration from another thread is
     * safe on JDK 11+ (it no longer blocks while the loop is in select); linking into the collection's list is
     * loop-thread work and is queued there.
     */
    static AsyncIoState register(WaitStateCollection collection, SelectableChannel channel, AcceptingHandle handle,
                                 StateOptions options, boolean connecting) {
        AsyncIoState state = new AsyncIoState(collection, channel, handle, options);
        state.connecting = connecting;
        try {
            channel.configureBlocking(false);
            state.key = channel.register(collection.selector(), 0, state);
        } catch (IOException e) {
            closeQuietly(channel);
            throw new IllegalArgumentException("Cannot register " + channel + " with " + collection + ": "
                    + e.getMessage(), e);
        } catch (RuntimeException e) {
            // A selector closed concurrently, or a key of a keep-alive close not yet flushed by a select.
            closeQuietly(channel);
            throw new IllegalStateException("Cannot register " + channel + " with " + collection + ": " + e, e);
        }
        if (collection.inLoopThread() || !collection.isLoopRunning()) {
            state.linkOnLoop();
        } else {
            collection.submit(new WaitStateCollection.Discardable() {
                @Override
                public void run() {
                    state.linkOnLoop();
                }

                @Override
                public void discard() {
                    // The collection closed before linking it: close the state, or its socket would leak.
                    state.closeNow(false);
                }
            });
        }
        return state;
    }

    private void linkOnLoop() {
        if (open) {
            collection.link(this);
            if (handle != null) {
                handle.link(this);
            }
        }
    }

    // =================================================================== accessors

    /** @return the collection the state belongs to (LispWorks {@code async-io-state-collection}) */
    public WaitStateCollection collection() {
        return collection;
    }

    /**
     * @return the state's socket, a {@link SocketChannel} or a {@link DatagramChannel} (LispWorks
     *         {@code async-io-state-object}); don't do I/O on it while the state is open
     */
    public SelectableChannel channel() {
        return channel;
    }

    /** @return the accepting handle that made this state, or {@code null} */
    public AcceptingHandle handle() {
        return handle;
    }

    /** @return the state's name (LispWorks {@code async-io-state-name}) */
    public String name() {
        String n = name;
        return n != null ? n : "state-" + id;
    }

    /** @param name the new name; {@code null} is refused */
    public void setName(String name) {
        this.name = Objects.requireNonNull(name, "name");
    }

    /** @return the application's object (LispWorks {@code async-io-state-user-info}) */
    public Object userInfo() {
        return userInfo;
    }

    /** @param userInfo the application's object; never used by the library */
    public void setUserInfo(Object userInfo) {
        this.userInfo = userInfo;
    }

    /** @return the read-direction idle timeout, {@code null} = none (LispWorks {@code async-io-state-read-timeout}) */
    public Duration readTimeout() {
        return Timeouts.fromNanos(readTimeoutNanos);
    }

    /**
     * Sets the read-direction timeout for later operations (LispWorks {@code (setf async-io-state-read-timeout)}).
     *
     * @param timeout positive, or {@code null} for none
     */
    public void setReadTimeout(Duration timeout) {
        readTimeoutNanos = Timeouts.toNanos(Timeouts.check("readTimeout", timeout));
    }

    /** @return the write idle timeout, {@code null} = none (LispWorks {@code async-io-state-write-timeout}) */
    public Duration writeTimeout() {
        return Timeouts.fromNanos(writeTimeoutNanos);
    }

    /**
     * Sets the write timeout for later operations (LispWorks {@code (setf async-io-state-write-timeout)}).
     *
     * @param timeout positive, or {@code null} for none
     */
    public void setWriteTimeout(Duration timeout) {
        writeTimeoutNanos = Timeouts.toNanos(Timeouts.check("writeTimeout", timeout));
    }

    /** @return the most bytes read between two read-with-checking callbacks (LispWorks {@code async-io-state-max-read}) */
    public int maxRead() {
        return maxRead;
    }

    /** @param maxRead positive byte count (LispWorks {@code (setf async-io-state-max-read)}) */
    public void setMaxRead(int maxRead) {
        if (maxRead <= 0) {
            throw new IllegalArgumentException("maxRead must be positive, got " + maxRead);
        }
        this.maxRead = maxRead;
    }

    /**
     * @return in a read-with-checking callback, how much of the buffer the previous callback of the same operation
     *         already saw and left undiscarded (0 on the first callback), so a parser need only scan from there
     *         (LispWorks {@code async-io-state-old-length})
     */
    public int oldLength() {
        return oldLength;
    }

    /** @return the read status (LispWorks {@code async-io-state-read-status}) */
    public IoStatus readStatus() {
        return readStatus;
    }

    /** @return the write status (LispWorks {@code async-io-state-write-status}) */
    public IoStatus writeStatus() {
        return writeStatus;
    }

    /** @return the cause of a read-direction {@link IoStatus#ERROR}, else {@code null} */
    public Throwable readFailure() {
        return readFailure;
    }

    /** @return the cause of a write {@link IoStatus#ERROR}, else {@code null} */
    public Throwable writeFailure() {
        return writeFailure;
    }

    /** @return the socket's local address, or {@code null} (LispWorks {@code async-io-state-address}) */
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) ((NetworkChannel) channel).getLocalAddress();
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return the peer's address, or {@code null} when not connected (LispWorks {@code async-io-state-peer-address}) */
    public InetSocketAddress peerAddress() {
        try {
            SocketAddress a = tcp != null ? tcp.getRemoteAddress() : udp.getRemoteAddress();
            return (InetSocketAddress) a;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** @return whether the state is open (not closed by {@link #close()} or the collection) */
    public boolean isOpen() {
        return open;
    }

    /** @return whether a read-direction operation is active */
    public boolean isReading() {
        return readBusy != 0;
    }

    /** @return whether a write is active or queued */
    public boolean isWriting() {
        return queued > 0 || writeBusy != 0;
    }

    /** @return whether writes queue ({@link StateOptions#queueOutput()}) */
    public boolean queueOutput() {
        return queueOutput;
    }

    /**
     * @return false once queued output reached the high water mark, true again once it drains to the low water
     *         mark; the writability callback ({@link StateOptions#writabilityCallback()}) is told of every change
     */
    public boolean isWritable() {
        return writable;
    }

    /**
     * Sets the callback told (on the loop thread) whenever {@link #isWritable()} changes, for this state only;
     * it replaces {@link StateOptions#writabilityCallback()}.
     *
     * @param callback {@code (state)} on the loop thread; {@code null} = back to the options' callback
     */
    public void setWritabilityCallback(StateCallback callback) {
        this.writabilityCallback = callback;
    }

    /** @return whether {@link #closeGracefully} was called and the state is finishing its output before it closes */
    public boolean isClosing() {
        return closing && open;
    }

    /** @return bytes accepted by {@link #writeBuffer} and not yet written to the socket */
    public long queuedOutput() {
        return queued;
    }

    /**
     * @return bytes read from the socket and not yet handed over: what a finished read-with-checking left
     *         undiscarded (LispWorks {@code async-io-state-buffered-data-length})
     */
    public int bufferedDataLength() {
        return collection.callOnLoop(() -> inCheckingCallback ? presentedLength : inputLength);
    }

    /**
     * Moves buffered data into {@code buffer} (LispWorks {@code async-io-state-get-buffered-data}).
     *
     * @param buffer where to copy
     * @return how many bytes were copied
     * @throws IllegalStateException while a read-direction operation is active
     */
    public int getBufferedData(byte[] buffer) {
        return getBufferedData(buffer, 0, buffer.length);
    }

    /**
     * Moves as much buffered data as fits into {@code buffer[start, end)} and removes it from the state (LispWorks
     * {@code async-io-state-get-buffered-data}). Works on a closed state too, to collect what
     * {@link #close()} reported.
     *
     * @param buffer where to copy
     * @param start first index
     * @param end index after the last
     * @return how many bytes were copied
     * @throws IllegalStateException while a read-direction operation is active (writes may run: they do not touch
     *         the input, so unlike LispWorks we allow it then)
     * @throws IllegalArgumentException for a bad range
     */
    public int getBufferedData(byte[] buffer, int start, int end) {
        checkRange(buffer, start, end);
        if (readBusy != 0) {
            throw new IllegalStateException(this + ": getBufferedData is not allowed while a read operation is "
                    + "active (finish or abort it first)");
        }
        return collection.callOnLoop(() -> takeInput(buffer, start, end));
    }

    /** @return bytes read from the socket so far (decrypted bytes for TLS); cheap from any thread, maybe a moment behind */
    public long bytesRead() {
        return (long) BYTES_READ.getOpaque(this);
    }

    /** @return bytes written to the socket so far (plaintext for TLS); cheap from any thread, maybe a moment behind */
    public long bytesWritten() {
        return (long) BYTES_WRITTEN.getOpaque(this);
    }

    /** @return a snapshot for listings; asks the loop thread when called from another thread */
    public StateSnapshot snapshot() {
        return collection.callOnLoop(this::snapshotOnLoop);
    }

    StateSnapshot snapshotOnLoop() {
        return new StateSnapshot(name(), localAddress(), peerAddress(), Duration.ofNanos(System.nanoTime()
                - createdNanos), bytesRead, bytesWritten, readStatus, writeStatus, readBusy != 0, isWriting(),
                queued, writable);
    }

    // =================================================================== reading

    /**
     * Reads until {@code buffer} is full. See {@link #readBuffer(byte[], int, int, BufferCallback, OperationOptions)}.
     *
     * @param buffer the buffer to fill
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void readBuffer(byte[] buffer, BufferCallback callback) {
        readBuffer(buffer, 0, buffer.length, callback, OperationOptions.NONE);
    }

    /**
     * Reads until {@code buffer[start, end)} is full. See
     * {@link #readBuffer(byte[], int, int, BufferCallback, OperationOptions)}.
     *
     * @param buffer the buffer to fill
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void readBuffer(byte[] buffer, int start, int end, BufferCallback callback) {
        readBuffer(buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * Reads until {@code buffer[start, end)} is completely full, then calls {@code callback(state, buffer, count)}
     * on the loop thread with {@code count = end - start} (LispWorks {@code async-io-state-read-buffer}). It ends
     * early with the partial count when the peer closes (read status {@link IoStatus#EOF}), the read timeout passes
     * without progress ({@link IoStatus#TIMEOUT}), or an I/O error occurs ({@link IoStatus#ERROR}, error callback if
     * given). Buffered data left by a read-with-checking is used first. Don't touch the range until the callback.
     *
     * @param buffer the buffer to fill
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     * @throws IllegalArgumentException for a bad range
     */
    public void readBuffer(byte[] buffer, int start, int end, BufferCallback callback, OperationOptions options) {
        checkRange(buffer, start, end);
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        requireTcp("readBuffer", "receiveMessage");
        claimRead("readBuffer");
        applyReadOptions(options);
        onLoop(() -> startRead(READ_BUFFER, buffer, start, end, callback, options.errorCallback(), null));
    }

    /**
     * Starts the "streaming parser" read (LispWorks {@code async-io-state-read-with-checking}): every time bytes
     * arrive (up to {@link #maxRead()} at a time), {@code callback(state, buffer, end)} runs on the loop thread with
     * all undiscarded input in {@code buffer[0, end)}. The callback consumes input with {@link #discard(int)}, ends
     * the operation with {@link #finish()} / {@link #finish(int)}, or does neither to see the same bytes again with
     * more appended next time; {@link #oldLength()} says how much it saw before. The buffer belongs to the state:
     * use it only inside the callback and before {@code discard}/{@code finish}, and never keep it.
     *
     * <p>On EOF, timeout or error the callback runs once more with the status set and whatever input is left (maybe
     * {@code end == 0}), and the operation ends after it, whether or not it calls {@code finish}; undiscarded input
     * stays {@linkplain #bufferedDataLength() buffered}. More undiscarded input than
     * {@link StateOptions#maxBufferedInput()} ends it with {@link IoStatus#ERROR} and an
     * {@link InputLimitExceededException}.
     *
     * @param callback {@code (state, buffer, end)} on the loop thread
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void readWithChecking(BufferCallback callback) {
        readWithChecking(callback, OperationOptions.NONE);
    }

    /**
     * As {@link #readWithChecking(BufferCallback)}, with options.
     *
     * @param callback {@code (state, buffer, end)} on the loop thread
     * @param options sticky timeout, max-read and user info; error callback
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void readWithChecking(BufferCallback callback, OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        requireTcp("readWithChecking", "receiveMessage");
        claimRead("readWithChecking");
        applyReadOptions(options);
        if (options.maxRead() > 0) {
            maxRead = options.maxRead();
        }
        onLoop(() -> startRead(READ_CHECKING, null, 0, 0, callback, options.errorCallback(), null));
    }

    /**
     * Calls {@code callback(state)} on the loop thread once input is available, without reading it (LispWorks
     * {@code async-io-state-wait-for-input}); on timeout the read status is {@link IoStatus#TIMEOUT} and the
     * callback runs too.
     *
     * @param callback {@code (state)} on the loop thread
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void waitForInput(StateCallback callback) {
        waitForInput(callback, OperationOptions.NONE);
    }

    /**
     * As {@link #waitForInput(StateCallback)}, with a sticky timeout and user info.
     *
     * @param callback {@code (state)} on the loop thread
     * @param options sticky timeout and user info
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void waitForInput(StateCallback callback, OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        if (tlsSide != null) {
            throw new IllegalStateException(this + ": waitForInput is not available on a state with TLS attached");
        }
        claimRead("waitForInput");
        applyReadOptions(options);
        onLoop(() -> startRead(WAIT_INPUT, null, 0, 0, null, null, callback));
    }

    /**
     * Drops the first {@code count} bytes of a read-with-checking buffer: they are consumed (LispWorks
     * {@code async-io-state-discard}). After it the callback must not touch the buffer again.
     *
     * @param count 1 to the current end
     * @return the bytes left
     * @throws IllegalStateException outside a read-with-checking callback (or the abort callback of one)
     * @throws IllegalArgumentException if {@code count} is not in 1..end
     */
    public int discard(int count) {
        requireCheckingCallback("discard");
        if (count <= 0 || count > presentedLength) {
            throw new IllegalArgumentException(this + ": discard count must be 1.." + presentedLength + ", got "
                    + count);
        }
        System.arraycopy(presented, count, presented, 0, presentedLength - count);
        presentedLength -= count;
        oldLength = Math.max(0, oldLength - count);
        return presentedLength;
    }

    /**
     * Ends the current read-with-checking operation: no more callbacks (LispWorks {@code async-io-state-finish}).
     * Undiscarded input stays buffered for the next read or {@link #getBufferedData}. A new read may be started
     * right away, also from this callback.
     *
     * @return the bytes left buffered
     * @throws IllegalStateException outside a read-with-checking callback
     */
    public int finish() {
        return finish(0);
    }

    /**
     * Discards {@code discard} bytes (if positive), then ends the read-with-checking operation as {@link #finish()}.
     *
     * @param discard bytes to drop first; 0 = none
     * @return the bytes left buffered
     * @throws IllegalStateException outside a read-with-checking callback
     * @throws IllegalArgumentException if {@code discard} exceeds the buffered input
     */
    public int finish(int discard) {
        requireCheckingCallback("finish");
        if (discard < 0 || discard > presentedLength) {
            throw new IllegalArgumentException(this + ": finish discard count must be 0.." + presentedLength
                    + ", got " + discard);
        }
        if (discard > 0) {
            discard(discard);
        }
        keepPresentedInput();
        inCheckingCallback = false;
        if (readKind == READ_CHECKING) {
            endRead();
        }
        return inputLength;
    }

    private void requireCheckingCallback(String what) {
        if (!inCheckingCallback || !collection.inLoopThread()) {
            throw new IllegalStateException(this + ": " + what + " is allowed only inside a read-with-checking "
                    + "callback (or the abort callback of one), before finish");
        }
    }

    private void claimRead(String what) {
        requireOpenState(what);
        requireNoTlsOperation(what);
        if (!READ_BUSY.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException(this + ": " + what + " while another read operation is active "
                    + "(one read-direction operation at a time)");
        }
    }

    private void applyReadOptions(OperationOptions options) {
        if (options.timeoutSet()) {
            readTimeoutNanos = Timeouts.toNanos(options.timeoutValue());
        }
        if (options.userInfoSet()) {
            userInfo = options.userInfo();
        }
    }

    private void startRead(byte kind, byte[] buf, int start, int end, BufferCallback cb, BufferCallback errorCb,
                           StateCallback waitCb) {
        if (!open || closeWhenFlushed || draining) {
            READ_BUSY.setVolatile(this, 0);
            return;
        }
        readKind = kind;
        readGeneration++;
        readBuf = buf;
        readStart = start;
        readEnd = end;
        readPos = start;
        readCallback = cb;
        readErrorCallback = errorCb;
        waitCallback = waitCb;
        readStatus = IoStatus.OK;
        readFailure = null;
        oldLength = 0;
        lastReadProgress = collection.now();
        if (inputLength > 0 || (kind == READ_BUFFER && start == end) || (tls != null && tls.hasPlaintext())) {
            markReady(READY_READ);
        } else {
            setInterest(SelectionKey.OP_READ, true);
        }
        long t = readTimeoutNanos;
        if (t != Timeouts.NONE) {
            if (readDeadline == null) {
                readDeadline = new Deadline(true);
            }
            collection.deadlines().schedule(readDeadline, lastReadProgress + t);
        }
    }

    /**
     * Serves a read from input already in memory (left by a read-with-checking, or decrypted by TLS and not yet
     * taken), on the ready list: never inside the call that started the read.
     */
    private void serveFromInput() {
        setInterest(SelectionKey.OP_READ, true);
        switch (readKind) {
            case READ_BUFFER -> {
                int n = Math.min(inputLength, readEnd - readPos);
                if (n > 0) {
                    readPos += takeInput(readBuf, readPos, readPos + n);
                }
                if (readPos == readEnd) {
                    completeRead(IoStatus.OK, null);
                } else if (tls != null) {
                    readIntoBuffer();
                }
            }
            case READ_CHECKING -> {
                // Buffered input is presented once per operation (its first callback); after that only new bytes
                // call back: a ready-list pass that finds nothing new must not repeat a callback.
                boolean unseen = inputLength > 0 && oldLength == 0;
                if (unseen && (tls == null || !tls.hasDecrypted())) {
                    presentChecking(input, inputLength, IoStatus.OK, null);
                } else {
                    readChecking();
                }
            }
            case WAIT_INPUT -> completeRead(IoStatus.OK, null);
            default -> {
            }
        }
    }

    private int takeInput(byte[] buffer, int start, int end) {
        int n = Math.min(inputLength, end - start);
        if (n > 0) {
            System.arraycopy(input, 0, buffer, start, n);
            System.arraycopy(input, n, input, 0, inputLength - n);
            inputLength -= n;
            releaseEmptyInput();
        }
        return n;
    }

    private void onReadable() {
        switch (readKind) {
            case READ_BUFFER -> readIntoBuffer();
            case READ_CHECKING -> readChecking();
            case WAIT_INPUT -> completeRead(IoStatus.OK, null);
            case RECEIVE -> receiveDatagram();
            default -> setInterest(SelectionKey.OP_READ, false);
        }
    }

    private void readIntoBuffer() {
        ByteBuffer d = collection.readDirect;
        try {
            while (readPos < readEnd) {
                d.clear();
                int want = Math.min(d.capacity(), readEnd - readPos);
                d.limit(want);
                int n = tls == null ? tcp.read(d) : tls.read(d);
                if (n < 0) {
                    completeRead(IoStatus.EOF, null);
                    return;
                }
                if (n == 0) {
                    return;
                }
                d.flip();
                d.get(readBuf, readPos, n);
                readPos += n;
                countRead(n);
                lastReadProgress = collection.now();
                if (n < want) {
                    break;
                }
            }
        } catch (IOException e) {
            completeRead(IoStatus.ERROR, e);
            return;
        }
        if (readPos == readEnd) {
            completeRead(IoStatus.OK, null);
        }
    }

    private void readChecking() {
        ByteBuffer d = collection.readDirect;
        byte[] scratch = collection.checkingScratch;
        int room = limits.maxBufferedInput() - inputLength;
        if (room <= 0) {
            presentChecking(input, inputLength, IoStatus.ERROR,
                    new InputLimitExceededException(toString(), limits.maxBufferedInput()));
            return;
        }
        int want = Math.min(Math.min(maxRead, room), d.capacity());
        int n;
        try {
            d.clear();
            d.limit(want);
            n = tls == null ? tcp.read(d) : tls.read(d);
        } catch (IOException e) {
            presentChecking(inputLength > 0 ? input : scratch, inputLength, IoStatus.ERROR, e);
            return;
        }
        if (n < 0) {
            presentChecking(inputLength > 0 ? input : scratch, inputLength, IoStatus.EOF, null);
            return;
        }
        if (n == 0) {
            return;
        }
        countRead(n);
        d.flip();
        if (inputLength == 0) {
            d.get(scratch, 0, n);
            presentChecking(scratch, n, IoStatus.OK, null);
        } else {
            ensureInputCapacity(inputLength + n);
            d.get(input, inputLength, n);
            inputLength += n;
            presentChecking(input, inputLength, IoStatus.OK, null);
        }
    }

    /**
     * Calls the read-with-checking callback with {@code buf[0, end)}. Afterwards whatever it left undiscarded is
     * kept in the state's own buffer; the operation ends on any status but OK, and when the callback threw.
     */
    private void presentChecking(byte[] buf, int end, IoStatus status, Throwable cause) {
        int generation = readGeneration;
        if (status != IoStatus.OK) {
            readStatus = status;
            readFailure = cause;
            countFailure(status);
        } else {
            lastReadProgress = collection.now();
        }
        BufferCallback cb = status == IoStatus.ERROR && readErrorCallback != null ? readErrorCallback
                : readCallback;
        presented = buf;
        presentedLength = end;
        inCheckingCallback = true;
        if (buf != input) {
            inputLength = 0;
        }
        boolean failed = !invoke(cb, buf, end);
        if (inCheckingCallback) {
            // No finish(): keep what is left, and what this callback saw is the next one's old length.
            inCheckingCallback = false;
            keepPresentedInput();
            oldLength = inputLength;
            if (generation == readGeneration && readKind == READ_CHECKING
                    && (status != IoStatus.OK || failed || !open)) {
                endRead();
            }
        }
    }

    /** Moves what a read-with-checking callback left undiscarded out of the shared scratch array. */
    private void keepPresentedInput() {
        byte[] buf = presented;
        int len = presentedLength;
        presented = null;
        presentedLength = 0;
        if (buf == input) {
            inputLength = len;
            releaseEmptyInput();
        } else if (len > 0) {
            ensureInputCapacity(len);
            System.arraycopy(buf, 0, input, 0, len);
            inputLength = len;
        } else {
            inputLength = 0;
        }
    }

    private void ensureInputCapacity(int needed) {
        if (input == null) {
            input = new byte[Math.max(needed, 1024)];
        } else if (input.length < needed) {
            input = Arrays.copyOf(input, Math.max(needed, Math.min(input.length * 2, limits.maxBufferedInput())));
        }
    }

    private void releaseEmptyInput() {
        // Idle connections should cost no buffer; a small one is kept to avoid churn with fragmented messages.
        if (inputLength == 0 && input != null && input.length > 4096) {
            input = null;
        }
    }

    private void completeRead(IoStatus status, Throwable cause) {
        if (readKind == RECEIVE) {
            completeReceive(status, cause, null);
            return;
        }
        byte kind = readKind;
        byte[] buf = readBuf;
        int count = readPos - readStart;
        BufferCallback cb = status == IoStatus.ERROR && readErrorCallback != null ? readErrorCallback
                : readCallback;
        StateCallback waitCb = waitCallback;
        readStatus = status;
        readFailure = cause;
        countFailure(status);
        endRead();
        if (kind == WAIT_INPUT) {
            invoke(waitCb);
        } else {
            invoke(cb, buf, count);
        }
    }

    /** Ends the read-direction operation; the caller may start a new one from its callback. */
    private void endRead() {
        readKind = NO_READ;
        readBuf = null;
        readCallback = null;
        readErrorCallback = null;
        waitCallback = null;
        messageCallback = null;
        if (readDeadline != null) {
            collection.deadlines().cancel(readDeadline);
        }
        setInterest(SelectionKey.OP_READ, false);
        READ_BUSY.setVolatile(this, 0);
    }

    private void readTimedOut(long now) {
        long t = readTimeoutNanos;
        if (readKind == NO_READ || t == Timeouts.NONE) {
            return;
        }
        long due = lastReadProgress + t;
        if (due - now > 0) {
            collection.deadlines().schedule(readDeadline, due);
            return;
        }
        if (readKind == READ_CHECKING) {
            presentChecking(inputLength > 0 ? input : collection.checkingScratch, inputLength, IoStatus.TIMEOUT,
                    null);
        } else {
            completeRead(IoStatus.TIMEOUT, null);
        }
    }

    // =================================================================== writing

    /**
     * Writes all of {@code buffer}. See {@link #writeBuffer(byte[], int, int, BufferCallback, OperationOptions)}.
     *
     * @param buffer the bytes to write
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void writeBuffer(byte[] buffer, BufferCallback callback) {
        writeBuffer(buffer, 0, buffer.length, callback, OperationOptions.NONE);
    }

    /**
     * Writes {@code buffer[start, end)}. See
     * {@link #writeBuffer(byte[], int, int, BufferCallback, OperationOptions)}.
     *
     * @param buffer the bytes to write
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread; {@code null} = none
     */
    public void writeBuffer(byte[] buffer, int start, int end, BufferCallback callback) {
        writeBuffer(buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * Writes all of {@code buffer[start, end)} and then calls {@code callback(state, buffer, count)} on the loop
     * thread (LispWorks {@code async-io-state-write-buffer}). It ends early with the partial count on a write
     * timeout ({@link IoStatus#TIMEOUT}) or an I/O error ({@link IoStatus#ERROR}, error callback if given). The
     * bytes are not copied: don't change the range until the callback ran.
     *
     * <p>Writes go out in order. A write started on the loop thread reaches the socket right after the current
     * callback returns, together with the other writes of the same callback (one system call); no
     * {@code OP_WRITE} round trip is needed unless the socket buffer is full.
     *
     * @param buffer the bytes to write
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if the state is closed, or a write is active and {@code queueOutput} is off
     * @throws OutputLimitExceededException if {@link StateOptions#maxQueuedOutput()} bytes are already queued
     * @throws IllegalArgumentException for a bad range
     */
    public void writeBuffer(byte[] buffer, int start, int end, BufferCallback callback, OperationOptions options) {
        checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        requireTcp("writeBuffer", "sendMessage or sendMessageToAddress");
        requireOpenState("writeBuffer");
        requireNoTlsOperation("writeBuffer");
        claimWrite("writeBuffer", end - start, options);
        if (collection.inLoopThread()) {
            enqueueWrite(takeWriteOp(buffer, start, end, callback, options.errorCallback()));
        } else {
            WriteOp op = new WriteOp(buffer, start, end, callback, options.errorCallback());
            collection.submit(() -> enqueueWrite(op));
        }
    }

    /**
     * Claims a place in the output for {@code length} bytes, on the caller's thread so that misuse throws there:
     * the one write of a state without {@code queueOutput}, or room under {@link StateOptions#maxQueuedOutput()}.
     * Applies the operation's sticky options.
     */
    private void claimWrite(String what, int length, OperationOptions options) {
        if (!queueOutput) {
            if (!WRITE_BUSY.compareAndSet(this, 0, 1)) {
                throw new IllegalStateException(this + ": " + what + " while another write is active and "
                        + "queueOutput is off (one write at a time)");
            }
        } else if (queued >= limits.maxQueuedOutput()) {
            throw new OutputLimitExceededException(this + ": " + queued + " bytes are queued for writing, the "
                    + "maxQueuedOutput limit is " + limits.maxQueuedOutput() + "; wait until isWritable()");
        }
        if (options.timeoutSet()) {
            writeTimeoutNanos = Timeouts.toNanos(options.timeoutValue());
        }
        if (options.userInfoSet()) {
            userInfo = options.userInfo();
        }
        addQueued(length);
    }

    /** On the loop thread, from the collection's free list: queued writes allocate nothing in steady state. */
    private WriteOp takeWriteOp(byte[] buf, int start, int end, BufferCallback cb, BufferCallback errorCb) {
        WriteOp op = collection.writeOps.poll();
        if (op == null) {
            return new WriteOp(buf, start, end, cb, errorCb);
        }
        op.set(buf, start, end, cb, errorCb);
        return op;
    }

    private void enqueueWrite(WriteOp op) {
        if (!open) {
            return;
        }
        if (currentWrite == null) {
            currentWrite = op;
            if (writeStatus != IoStatus.OK) {
                writeStatus = IoStatus.OK;
                writeFailure = null;
            }
            lastWriteProgress = collection.now();
            long t = writeTimeoutNanos;
            if (t != Timeouts.NONE) {
                if (writeDeadline == null) {
                    writeDeadline = new Deadline(false);
                }
                collection.deadlines().schedule(writeDeadline, lastWriteProgress + t);
            }
        } else {
            if (writeQueue == null) {
                writeQueue = new ArrayDeque<>(4);
            }
            writeQueue.add(op);
        }
        markReady(READY_FLUSH);
    }

    /**
     * Writes as much queued output as the socket takes, gathered through the collection's direct buffer, then
     * runs the callbacks of the writes that completed.
     */
    private void flush() {
        if (tls != null && currentWrite == null && open && !tls.isBusy()) {
            flushTlsOnly();
            return;
        }
        if (connecting || currentWrite == null || !open) {
            return;
        }
        if (udp != null) {
            flushDatagrams();
            return;
        }
        ByteBuffer d = collection.writeDirect;
        WriteOp completedFirst = null;
        WriteOp completedLast = null;
        IOException failure = null;
        try {
            for (int round = 0; round < 16 && currentWrite != null; round++) {
                d.clear();
                if (lastPartialWrite > 0) {
                    // The socket took only this much last time: copying the whole buffer again would be wasted.
                    d.limit(Math.min(d.capacity(), Math.max(64 * 1024, 2 * lastPartialWrite)));
                }
                WriteOp op = currentWrite;
                d.put(op.buf, op.pos, Math.min(op.end - op.pos, d.remaining()));
                if (d.hasRemaining() && writeQueue != null) {
                    for (WriteOp q : writeQueue) {
                        if (!d.hasRemaining()) {
                            break;
                        }
                        d.put(q.buf, q.pos, Math.min(q.end - q.pos, d.remaining()));
                    }
                }
                d.flip();
                int offered = d.remaining();
                int written = tls == null ? tcp.write(d) : tls.write(d);
                if (written > 0) {
                    countWritten(written);
                    lastWriteProgress = collection.now();
                }
                int left = written;
                // Empty writes (start == end) complete as soon as they reach the head of the queue.
                while (currentWrite != null && (left > 0 || currentWrite.pos == currentWrite.end)) {
                    WriteOp w = currentWrite;
                    int take = Math.min(left, w.end - w.pos);
                    w.pos += take;
                    left -= take;
                    if (w.pos == w.end) {
                        currentWrite = writeQueue != null ? writeQueue.poll() : null;
                        w.next = null;
                        if (completedLast == null) {
                            completedFirst = w;
                        } else {
                            completedLast.next = w;
                        }
                        completedLast = w;
                    }
                }
                subtractQueued(written);
                if (written < offered) {
                    lastPartialWrite = written;
                    break;
                }
                lastPartialWrite = 0;
            }
        } catch (IOException e) {
            failure = e;
        }
        if (failure == null) {
            if (currentWrite != null || (tls != null && tls.hasPendingOutput())) {
                setInterest(SelectionKey.OP_WRITE, true);
            } else {
                setInterest(SelectionKey.OP_WRITE, false);
                if (writeDeadline != null) {
                    collection.deadlines().cancel(writeDeadline);
                }
            }
        }
        for (WriteOp w = completedFirst; w != null; ) {
            WriteOp next = w.next;
            completeWrite(w, IoStatus.OK, null);
            w = next;
        }
        if (failure != null) {
            failWrites(IoStatus.ERROR, failure);
        } else if (currentWrite == null && closeWhenFlushed && open && (tls == null || !tls.hasPendingOutput())) {
            finishGracefulClose();
        }
    }

    /** Writes ciphertext that TLS still holds after its plaintext was consumed. */
    private void flushTlsOnly() {
        try {
            boolean done = tls.flushNet();
            setInterest(SelectionKey.OP_WRITE, !done);
            if (done && shutdownWhenFlushed != null) {
                Direction d = shutdownWhenFlushed;
                ShutdownCallback cb = shutdownCallback;
                shutdownWhenFlushed = null;
                shutdownCallback = null;
                Throwable failure = shutdownChannel(d);
                if (cb != null) {
                    invokeShutdown(cb, failure);
                }
            }
            if (done && closeWhenFlushed) {
                finishGracefulClose();
            }
        } catch (IOException e) {
            setInterest(SelectionKey.OP_WRITE, false);
            writeStatus = IoStatus.ERROR;
            writeFailure = e;
            countFailure(IoStatus.ERROR);
            if (closeWhenFlushed) {
                finishGracefulClose();
            }
        }
    }

    private void completeWrite(WriteOp w, IoStatus status, Throwable cause) {
        if (!open) {
            // A callback closed the state: the writes completed in the same pass get no callback after close.
            w.clear();
            collection.recycle(w);
            return;
        }
        byte[] buf = w.buf;
        int count = w.pos - w.start;
        BufferCallback cb = status == IoStatus.ERROR && w.errorCallback != null ? w.errorCallback : w.callback;
        StateCallback sendCb = w.sendCallback;
        w.clear();
        collection.recycle(w);
        if (!queueOutput) {
            WRITE_BUSY.setVolatile(this, 0);
        }
        if (sendCb != null && cb == null) {
            invoke(sendCb);
        } else {
            invoke(cb, buf, count);
        }
    }

    /** Ends every pending write with {@code status}: the stream is unusable after a failed or stalled write. */
    private void failWrites(IoStatus status, Throwable cause) {
        writeStatus = status;
        writeFailure = cause;
        countFailure(status);
        setInterest(SelectionKey.OP_WRITE, false);
        if (writeDeadline != null) {
            collection.deadlines().cancel(writeDeadline);
        }
        // Detach the failed writes first: a callback that writes again starts a fresh write, not one of these.
        java.util.List<WriteOp> failed = new java.util.ArrayList<>();
        long unwritten = 0;
        for (WriteOp w = currentWrite; w != null; w = writeQueue != null ? writeQueue.poll() : null) {
            failed.add(w);
            unwritten += w.end - w.pos;
        }
        currentWrite = null;
        subtractQueued(unwritten);
        for (WriteOp w : failed) {
            completeWrite(w, status, cause);
        }
        if (closeWhenFlushed && open) {
            finishGracefulClose();
        }
    }

    private void writeTimedOut(long now) {
        long t = writeTimeoutNanos;
        if (currentWrite == null || t == Timeouts.NONE) {
            return;
        }
        long due = lastWriteProgress + t;
        if (due - now > 0) {
            collection.deadlines().schedule(writeDeadline, due);
            return;
        }
        failWrites(IoStatus.TIMEOUT, null);
    }

    // Writers on any thread add, the loop subtracts; the lock keeps the count and the writability flag in step.
    private void addQueued(long n) {
        boolean changed;
        synchronized (this) {
            queued += n;
            changed = writable && queued >= limits.writeHighWaterMark();
            if (changed) {
                writable = false;
            }
        }
        if (changed) {
            notifyWritability();
        }
    }

    private void subtractQueued(long n) {
        if (n == 0) {
            return;
        }
        boolean changed;
        synchronized (this) {
            queued -= n;
            changed = !writable && queued <= limits.writeLowWaterMark();
            if (changed) {
                writable = true;
            }
        }
        if (changed) {
            notifyWritability();
        }
    }

    private void notifyWritability() {
        if (!open) {
            // Closed (perhaps with its collection): nobody is told any more, and nothing may be queued.
            return;
        }
        StateCallback own = writabilityCallback;
        StateCallback cb = own != null ? own : limits.writabilityCallback();
        if (cb != null) {
            onLoopLater(() -> {
                if (open) {
                    invoke(cb);
                }
            });
        }
    }

    // =================================================================== UDP

    /**
     * Receives one datagram into {@code buffer[start, end)}; see
     * {@link #receiveMessage(byte[], int, int, MessageCallback, OperationOptions)}.
     *
     * @param buffer where the datagram goes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void receiveMessage(byte[] buffer, int start, int end, BufferCallback callback) {
        receiveMessage(buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * Receives one datagram (LispWorks {@code async-io-state-receive-message} without {@code :needs-address}).
     *
     * @param buffer where the datagram goes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count)} on the loop thread
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if a read-direction operation is active, the state is closed or not UDP
     */
    public void receiveMessage(byte[] buffer, int start, int end, BufferCallback callback,
                               OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        startReceive(buffer, start, end, callback, null, options);
    }

    /**
     * Receives one datagram, with its sender; see
     * {@link #receiveMessage(byte[], int, int, MessageCallback, OperationOptions)}.
     *
     * @param buffer where the datagram goes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count, sender)} on the loop thread
     */
    public void receiveMessage(byte[] buffer, int start, int end, MessageCallback callback) {
        receiveMessage(buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * Receives one datagram into {@code buffer[start, end)} and calls {@code callback(state, buffer, count, sender)}
     * on the loop thread (LispWorks {@code async-io-state-receive-message} with {@code :needs-address t}). Re-issue it
     * to receive the next one. A datagram longer than the range is truncated to it: the callback gets the bytes that
     * fit, the read status is {@link IoStatus#ERROR} and {@link #readFailure()} a {@link MessageTruncatedException}
     * with the real length. On timeout the status is {@link IoStatus#TIMEOUT}, the count 0 and the sender
     * {@code null}. With an error callback ({@link OperationOptions#errorCallback()}), errors go there as
     * {@code (state, buffer, count)}.
     *
     * @param buffer where the datagram goes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state, buffer, count, sender)} on the loop thread
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if a read-direction operation is active, the state is closed or not UDP
     */
    public void receiveMessage(byte[] buffer, int start, int end, MessageCallback callback,
                               OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        startReceive(buffer, start, end, null, callback, options);
    }

    private void startReceive(byte[] buffer, int start, int end, BufferCallback cb, MessageCallback messageCb,
                              OperationOptions options) {
        checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        requireUdp("receiveMessage", "readBuffer or readWithChecking");
        claimRead("receiveMessage");
        applyReadOptions(options);
        onLoop(() -> {
            startRead(RECEIVE, buffer, start, end, cb, options.errorCallback(), null);
            messageCallback = messageCb;
        });
    }

    private void receiveDatagram() {
        ByteBuffer d = collection.readDirect;
        SocketAddress from;
        try {
            d.clear();
            from = udp.receive(d);
        } catch (IOException e) {
            completeReceive(IoStatus.ERROR, e, null);
            return;
        }
        if (from == null) {
            return;
        }
        if (udpFamily == IpFamily.IPV6 && from instanceof InetSocketAddress isa
                && isa.getAddress() instanceof java.net.Inet4Address) {
            // Java cannot set IPV6_V6ONLY: an IPv6-only state drops what IPv4 peers send and keeps waiting.
            return;
        }
        int n = d.position();
        d.flip();
        int room = readEnd - readStart;
        int take = Math.min(n, room);
        d.get(readBuf, readStart, take);
        readPos = readStart + take;
        countRead(n);
        lastReadProgress = collection.now();
        InetSocketAddress sender = (InetSocketAddress) from;
        if (n > room) {
            completeReceive(IoStatus.ERROR, new MessageTruncatedException(n, room), sender);
        } else {
            completeReceive(IoStatus.OK, null, sender);
        }
    }

    private void completeReceive(IoStatus status, Throwable cause, InetSocketAddress sender) {
        byte[] buf = readBuf;
        int count = readPos - readStart;
        boolean toErrorCallback = status == IoStatus.ERROR && readErrorCallback != null;
        BufferCallback cb = toErrorCallback ? readErrorCallback : readCallback;
        MessageCallback messageCb = toErrorCallback ? null : messageCallback;
        readStatus = status;
        readFailure = cause;
        countFailure(status);
        endRead();
        if (messageCb != null) {
            invokeMessage(messageCb, buf, count, sender);
        } else {
            invoke(cb, buf, count);
        }
    }

    /**
     * Sends {@code buffer[start, end)} as one datagram on a connected UDP state and then calls
     * {@code callback(state)} on the loop thread (LispWorks {@code async-io-state-send-message}). Don't change the
     * range until then. Sends queue in order ({@code queueOutput} is on by default for UDP states).
     *
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last (at most 65,507 bytes in all)
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @throws IllegalStateException if the state is closed, not UDP, or not connected
     */
    public void sendMessage(byte[] buffer, int start, int end, StateCallback callback) {
        sendMessage(buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * As {@link #sendMessage(byte[], int, int, StateCallback)}, with options; an error goes to the error callback as
     * {@code (state, buffer, 0)} if one is given.
     *
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if the state is closed, not UDP, or not connected
     */
    public void sendMessage(byte[] buffer, int start, int end, StateCallback callback, OperationOptions options) {
        requireUdp("sendMessage", "writeBuffer");
        if (!udp.isConnected()) {
            throw new IllegalStateException(this + ": sendMessage needs a connected UDP state (connectUdp); use "
                    + "sendMessageToAddress on an unconnected one");
        }
        sendDatagram(null, buffer, start, end, callback, options);
    }

    /**
     * Sends {@code buffer[start, end)} as one datagram to {@code host:port} from an unconnected UDP state and then
     * calls {@code callback(state)} on the loop thread (LispWorks {@code async-io-state-send-message-to-address}). A
     * host name is resolved in the socket's family; called on the loop thread, the lookup runs off it.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last (at most 65,507 bytes in all)
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @throws IllegalStateException if the state is closed, not UDP, or connected
     * @throws IllegalArgumentException for a bad range or port, or a host that cannot be resolved
     */
    public void sendMessageToAddress(String host, int port, byte[] buffer, int start, int end,
                                     StateCallback callback) {
        sendMessageToAddress(host, port, buffer, start, end, callback, OperationOptions.NONE);
    }

    /**
     * As {@link #sendMessageToAddress(String, int, byte[], int, int, StateCallback)}, with options.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if the state is closed, not UDP, or connected
     * @throws IllegalArgumentException for a bad range or port, or a host that cannot be resolved
     */
    public void sendMessageToAddress(String host, int port, byte[] buffer, int start, int end,
                                     StateCallback callback, OperationOptions options) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        IpFamily family = udpFamily();
        InetAddress literal = HostNames.literal(host);
        if (literal != null || !collection.inLoopThread()) {
            InetAddress address;
            try {
                address = literal != null ? literal : HostNames.resolve(host, family);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalArgumentException("host '" + host + "' cannot be resolved: " + e.getMessage(), e);
            }
            sendMessageToAddress(new InetSocketAddress(address, port), buffer, start, end, callback, options);
            return;
        }
        // On the loop thread the lookup must not block it: check and claim the send now (misuse still throws
        // here), resolve off the loop, then queue the datagram.
        requireUdp("sendMessageToAddress", "writeBuffer");
        if (udp.isConnected()) {
            throw new IllegalStateException(this + ": sendMessageToAddress is for unconnected UDP states; use "
                    + "sendMessage on a connected one");
        }
        WriteOp op = prepareDatagram(buffer, start, end, callback, options, "sendMessageToAddress");
        HostNames.RESOLVER.execute(() -> {
            InetSocketAddress target;
            try {
                target = new InetSocketAddress(HostNames.resolve(host, family), port);
            } catch (java.net.UnknownHostException e) {
                collection.submitIfOpen(() -> failUnsent(op, e));
                return;
            }
            op.target = target;
            collection.submitIfOpen(() -> enqueueWrite(op));
        });
    }

    /** A prepared datagram that will never be sent (its host did not resolve): release it and report the error. */
    private void failUnsent(WriteOp op, Throwable cause) {
        if (!open) {
            return;
        }
        subtractQueued(op.end - op.pos);
        writeStatus = IoStatus.ERROR;
        writeFailure = cause;
        countFailure(IoStatus.ERROR);
        completeWrite(op, IoStatus.ERROR, cause);
    }

    /**
     * As {@link #sendMessageToAddress(String, int, byte[], int, int, StateCallback, OperationOptions)}, to a
     * resolved address (such as the sender a {@link MessageCallback} got).
     *
     * @param target where to send
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info, error callback
     * @throws IllegalStateException if the state is closed, not UDP, or connected
     */
    public void sendMessageToAddress(InetSocketAddress target, byte[] buffer, int start, int end,
                                     StateCallback callback, OperationOptions options) {
        Objects.requireNonNull(target, "target");
        requireUdp("sendMessageToAddress", "writeBuffer");
        if (udp.isConnected()) {
            throw new IllegalStateException(this + ": sendMessageToAddress is for unconnected UDP states; use "
                    + "sendMessage on a connected one");
        }
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target " + target + " is unresolved");
        }
        sendDatagram(target, buffer, start, end, callback, options);
    }

    void setUdpFamily(IpFamily family) {
        this.udpFamily = family;
    }

    private IpFamily udpFamily() {
        if (udpFamily != IpFamily.ANY && udpFamily != IpFamily.BOTH) {
            return udpFamily;
        }
        InetSocketAddress local = localAddress();
        if (local != null && local.getAddress() instanceof java.net.Inet4Address
                && !local.getAddress().isAnyLocalAddress()) {
            return IpFamily.IPV4;
        }
        return IpFamily.ANY;
    }

    private void sendDatagram(InetSocketAddress target, byte[] buffer, int start, int end, StateCallback callback,
                              OperationOptions options) {
        WriteOp op = prepareDatagram(buffer, start, end, callback, options,
                target == null ? "sendMessage" : "sendMessageToAddress");
        op.target = target;
        onLoop(() -> enqueueWrite(op));
    }

    /** Checks a send and claims its place in the output (misuse throws to the caller); the target comes later. */
    private WriteOp prepareDatagram(byte[] buffer, int start, int end, StateCallback callback,
                                    OperationOptions options, String what) {
        checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        requireOpenState(what);
        if (end - start > MAX_DATAGRAM) {
            throw new IllegalArgumentException("a datagram holds at most " + MAX_DATAGRAM + " bytes, got "
                    + (end - start));
        }
        claimWrite(what, end - start, options);
        WriteOp op = collection.inLoopThread() ? takeWriteOp(buffer, start, end, null, options.errorCallback())
                : new WriteOp(buffer, start, end, null, options.errorCallback());
        op.sendCallback = callback;
        return op;
    }

    /** Sends queued datagrams, each whole, until the socket buffer is full. */
    private void flushDatagrams() {
        ByteBuffer d = collection.writeDirect;
        while (currentWrite != null) {
            WriteOp w = currentWrite;
            d.clear();
            d.put(w.buf, w.pos, w.end - w.pos);
            d.flip();
            int n;
            try {
                n = w.target != null ? udp.send(d, w.target) : udp.write(d);
            } catch (IOException | RuntimeException e) {
                // RuntimeException too: an address of the other family (UnsupportedAddressTypeException) or one
                // that is unresolved must fail this datagram, not the state.
                // One bad datagram (an ICMP error, an unreachable target) fails that send only.
                currentWrite = writeQueue != null ? writeQueue.poll() : null;
                subtractQueued(w.end - w.pos);
                writeStatus = IoStatus.ERROR;
                writeFailure = e;
                countFailure(IoStatus.ERROR);
                completeWrite(w, IoStatus.ERROR, e);
                if (!open) {
                    return;
                }
                continue;
            }
            if (n == 0 && d.hasRemaining()) {
                setInterest(SelectionKey.OP_WRITE, true);
                return;
            }
            countWritten(n);
            lastWriteProgress = collection.now();
            currentWrite = writeQueue != null ? writeQueue.poll() : null;
            subtractQueued(w.end - w.pos);
            w.pos = w.end;
            completeWrite(w, IoStatus.OK, null);
            if (!open) {
                return;
            }
        }
        setInterest(SelectionKey.OP_WRITE, false);
        if (writeDeadline != null) {
            collection.deadlines().cancel(writeDeadline);
        }
        if (closeWhenFlushed && open) {
            finishGracefulClose();
        }
    }

    private void requireTcp(String what, String instead) {
        if (tcp == null) {
            throw new IllegalStateException(this + ": " + what + " is for TCP states; use " + instead
                    + " on a UDP state");
        }
    }

    private void requireUdp(String what, String instead) {
        if (udp == null) {
            throw new IllegalStateException(this + ": " + what + " is for UDP states; use " + instead
                    + " on a TCP state");
        }
    }

    private void invokeMessage(MessageCallback cb, byte[] buf, int count, InetSocketAddress sender) {
        try {
            cb.call(this, buf, count, sender);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            collection.callbackFailed(this, handle, t);
        }
    }

    // =================================================================== TLS

    /**
     * Attaches TLS to this TCP state and runs the handshake (LispWorks {@code async-io-state-attach-ssl}); then
     * calls {@code callback(state, null)} on the loop thread, or {@code (state, failure)} with the state left without
     * TLS (classify the failure with {@link TlsFailureKind#of}). The side defaults to {@link TlsSide#SERVER}, as in
     * LispWorks; with {@link TlsSide#BOTH} no handshake starts: choose the role on {@link #sslEngine()} and call
     * {@link #handshake}. Bytes already read and buffered are handed to the engine (STARTTLS). No other operation may be
     * active, and none may start until the callback ran.
     *
     * @param options context, side, timeouts, configurers
     * @param callback {@code (state, failureOrNull)} on the loop thread
     * @throws IllegalStateException if TLS is attached already, an operation is active, or the state is closed or UDP
     */
    public void attachTls(TlsOptions options, ConnectCallback callback) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(callback, "callback");
        requireTcp("attachTls", "a TCP state");
        requireOpenState("attachTls");
        if (tlsSide != null) {
            throw new IllegalStateException(this + ": attachTls on a state that has TLS attached already");
        }
        claimExclusive("attachTls");
        TlsSide side = options.side() != null ? options.side() : TlsSide.SERVER;
        onLoopLater(() -> startTls(options, side, null, 0, callback));
    }

    /** Attaches TLS from the loop thread for connect and accept: claims exclusivity itself. */
    void startTlsFromLoop(TlsOptions options, TlsSide side, String host, int port, ConnectCallback callback) {
        if (!READ_BUSY.compareAndSet(this, 0, 1) || isWriting()) {
            READ_BUSY.setVolatile(this, 0);
            invokeConnect(callback, new IllegalStateException(this + ": an operation was started before TLS "
                    + "was set up; start operations from the connect or connection callback"));
            return;
        }
        tlsBusy = true;
        startTls(options, options.side() != null ? options.side() : side, host, port, callback);
    }

    private void startTls(TlsOptions options, TlsSide side, String host, int port, ConnectCallback callback) {
        if (!open) {
            releaseExclusive();
            return;
        }
        javax.net.ssl.SSLEngine engine;
        try {
            engine = options.newEngine(side, host, port);
        } catch (RuntimeException e) {
            releaseExclusive();
            invokeConnect(callback, e);
            return;
        }
        tls = new TlsSession(engine, side, tcp, collection, toString(), this::tlsPausing, this::tlsResumed);
        tlsSide = side;
        if (inputLength > 0) {
            byte[] early = Arrays.copyOf(input, inputLength);
            inputLength = 0;
            releaseEmptyInput();
            tls.feed(early);
        }
        if (side == TlsSide.BOTH) {
            releaseExclusive();
            invokeConnect(callback, null);
            return;
        }
        tls.startHandshake(new HandshakeDriver(callback), options.handshakeTimeout());
    }

    /**
     * Runs a TLS handshake on a state with TLS attached (LispWorks {@code async-io-state-handshake}): needed after
     * attaching with {@link TlsSide#BOTH}, or to renegotiate. Calls {@code callback(state, null)} on success; on
     * failure {@code (state, failure)} with the read status {@link IoStatus#TIMEOUT} (after {@code timeout}),
     * {@link IoStatus#EOF} (peer closed) or {@link IoStatus#ERROR}.
     *
     * @param callback {@code (state, failureOrNull)} on the loop thread
     * @param timeout positive, or {@code null} for none
     * @throws IllegalStateException if no TLS is attached, an operation is active, or the state is closed
     */
    public void handshake(ConnectCallback callback, Duration timeout) {
        Objects.requireNonNull(callback, "callback");
        Timeouts.check("timeout", timeout);
        requireOpenState("handshake");
        if (tlsSide == null) {
            throw new IllegalStateException(this + ": handshake needs TLS attached (attachTls)");
        }
        claimExclusive("handshake");
        onLoopLater(() -> {
            if (!open || tls == null) {
                releaseExclusive();
                return;
            }
            tls.startHandshake(new HandshakeDriver(callback), timeout);
        });
    }

    /**
     * Removes TLS (LispWorks {@code async-io-state-detach-ssl}): sends close_notify, waits (up to 10 s) for the
     * peer's, then later traffic is plain; bytes the peer sent after its close_notify are kept as buffered input.
     * Calls {@code callback(state)} on the loop thread. Does nothing but call back when no TLS is attached.
     *
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @throws IllegalStateException if an operation is active or the state is closed
     */
    public void detachTls(StateCallback callback) {
        requireOpenState("detachTls");
        if (tlsSide == null) {
            if (callback != null) {
                onLoopLater(() -> invoke(callback));
            }
            return;
        }
        claimExclusive("detachTls");
        onLoopLater(() -> {
            if (!open || tls == null) {
                releaseExclusive();
                return;
            }
            tls.startDetach(new DetachDriver(callback), TlsOptions.DEFAULT_HANDSHAKE_TIMEOUT);
        });
    }

    /** @return the TLS side, or {@code null} when no TLS is attached (LispWorks {@code async-io-state-ssl-side}) */
    public TlsSide tlsSide() {
        return tlsSide;
    }

    /**
     * @return the TLS engine, or {@code null} when no TLS is attached (LispWorks {@code async-io-state-ssl}); read its
     *         session, or set the role after attaching with {@link TlsSide#BOTH}; never wrap or unwrap with it
     */
    public javax.net.ssl.SSLEngine sslEngine() {
        return collection.callOnLoop(() -> tls != null ? tls.engine : null);
    }

    private void claimExclusive(String what) {
        requireNoTlsOperation(what);
        if (!READ_BUSY.compareAndSet(this, 0, 1)) {
            throw new IllegalStateException(this + ": " + what + " while a read operation is active (TLS attach, "
                    + "detach and handshake need the state to themselves)");
        }
        if (isWriting()) {
            READ_BUSY.setVolatile(this, 0);
            throw new IllegalStateException(this + ": " + what + " while a write is active (TLS attach, detach and "
                    + "handshake need the state to themselves)");
        }
        tlsBusy = true;
    }

    private void releaseExclusive() {
        tlsBusy = false;
        READ_BUSY.setVolatile(this, 0);
    }

    private void requireNoTlsOperation(String what) {
        if (tlsBusy) {
            throw new IllegalStateException(this + ": " + what + " while a TLS attach, detach or handshake runs "
                    + "(wait for its callback)");
        }
    }

    /** Reports a handshake: on failure the state is left without TLS, as LispWorks says. */
    private final class HandshakeDriver implements TlsSession.Driver {
        private final ConnectCallback callback;

        HandshakeDriver(ConnectCallback callback) {
            this.callback = callback;
        }

        @Override
        public void wantRead(boolean on) {
            setInterest(SelectionKey.OP_READ, on);
        }

        @Override
        public void wantWrite(boolean on) {
            setInterest(SelectionKey.OP_WRITE, on);
        }

        @Override
        public void finished(Throwable failure, IoStatus status) {
            if (!open) {
                return;
            }
            if (failure != null) {
                readStatus = status;
                readFailure = failure;
                countFailure(status == IoStatus.EOF ? IoStatus.ERROR : status);
                tls.dispose();
                tls = null;
                tlsSide = null;
            }
            releaseExclusive();
            invokeConnect(callback, failure);
        }
    }

    /** Ends a detach: leftover bytes become buffered plain input. */
    private final class DetachDriver implements TlsSession.Driver {
        private final StateCallback callback;

        DetachDriver(StateCallback callback) {
            this.callback = callback;
        }

        @Override
        public void wantRead(boolean on) {
            setInterest(SelectionKey.OP_READ, on);
        }

        @Override
        public void wantWrite(boolean on) {
            setInterest(SelectionKey.OP_WRITE, on);
        }

        @Override
        public void finished(Throwable failure, IoStatus status) {
            if (tls == null || !open) {
                return;
            }
            byte[] rest = tls.takeLeftovers();
            tls.dispose();
            tls = null;
            tlsSide = null;
            if (rest.length > 0) {
                ensureInputCapacity(inputLength + rest.length);
                System.arraycopy(rest, 0, input, inputLength, rest.length);
                inputLength += rest.length;
            }
            if (failure != null) {
                readStatus = status;
                readFailure = failure;
            }
            releaseExclusive();
            invoke(callback);
        }
    }

    // =================================================================== abort, close, shutdown

    /**
     * Aborts the read-direction operation. See {@link #abort(Direction, BufferCallback)}.
     *
     * @param abortCallback called on the loop thread; {@code null} = none
     */
    public void abort(BufferCallback abortCallback) {
        abort(Direction.INPUT, abortCallback);
    }

    /**
     * Stops the operation(s) of {@code direction} and their callbacks, then calls {@code abortCallback} on the loop
     * thread (LispWorks {@code async-io-state-abort}). Asynchronous: it takes effect after any running callback of
     * this state returns. The abort callback gets the argument list the operation's callback would have got:
     * {@code (state, buffer, count)} for a read or write ({@code (state, null, 0)} when none was active by then),
     * and {@code (state, null, 0)} for {@link Direction#IO}. Aborting a read-with-checking lets the abort callback
     * {@link #discard} input. Aborting output drops queued writes. The operation may have completed before the abort
     * landed; look at the status if it matters.
     *
     * @param direction which operations
     * @param abortCallback called on the loop thread; {@code null} = none
     * @throws IllegalStateException if the state is closed
     */
    public void abort(Direction direction, BufferCallback abortCallback) {
        Objects.requireNonNull(direction, "direction");
        if (!open) {
            throw new IllegalStateException(this + ": abort on a closed state");
        }
        onLoopLater(() -> {
            if (open) {
                abortNow(direction, abortCallback);
            }
        });
    }

    private void abortNow(Direction direction, BufferCallback cb) {
        if (direction.includesInput() && readKind != NO_READ) {
            byte kind = readKind;
            byte[] buf = readBuf;
            int count = readPos - readStart;
            endRead();
            if (direction == Direction.INPUT) {
                if (kind == READ_CHECKING) {
                    presentToAbort(cb);
                    return;
                }
                boolean ranged = kind == READ_BUFFER || kind == RECEIVE;
                invoke(cb, ranged ? buf : null, ranged ? count : 0);
                return;
            }
        }
        if (direction.includesOutput() && currentWrite != null) {
            WriteOp w = currentWrite;
            byte[] buf = w.buf;
            int count = w.pos - w.start;
            dropWrites();
            if (direction == Direction.OUTPUT) {
                invoke(cb, buf, count);
                return;
            }
        }
        invoke(cb, null, 0);
    }

    private void presentToAbort(BufferCallback cb) {
        presented = inputLength > 0 ? input : collection.checkingScratch;
        presentedLength = inputLength;
        inCheckingCallback = true;
        invoke(cb, presented, presentedLength);
        if (inCheckingCallback) {
            inCheckingCallback = false;
            keepPresentedInput();
        }
    }

    private void dropWrites() {
        long dropped = 0;
        while (currentWrite != null) {
            WriteOp w = currentWrite;
            dropped += w.end - w.pos;
            currentWrite = writeQueue != null ? writeQueue.poll() : null;
            w.clear();
        }
        subtractQueued(dropped);
        setInterest(SelectionKey.OP_WRITE, false);
        if (writeDeadline != null) {
            collection.deadlines().cancel(writeDeadline);
        }
        WRITE_BUSY.setVolatile(this, 0);
    }

    /**
     * Aborts every operation (no callbacks), closes the state, then calls {@code closeCallback(state)} on the loop
     * thread (LispWorks {@code async-io-state-abort-and-close}). Asynchronous; with {@code keepAlive} the callback
     * runs once the channel is deregistered from the selector, so it can be switched back to blocking mode there.
     * Calling it on a closed state only runs the callback.
     *
     * @param keepAlive leave the socket open for other use
     * @param closeCallback {@code (state)} on the loop thread; {@code null} = none
     */
    public void abortAndClose(boolean keepAlive, StateCallback closeCallback) {
        onLoopLater(() -> {
            closeNow(keepAlive);
            if (closeCallback != null) {
                if (keepAlive) {
                    collection.afterDeregistration(() -> invoke(closeCallback));
                } else {
                    invoke(closeCallback);
                }
            }
        });
    }

    /**
     * Closes the state and its socket; see {@link #close(boolean)}.
     *
     * @return the length of buffered input not yet consumed
     */
    public int close() {
        return close(false);
    }

    /**
     * Closes the state (LispWorks {@code close-async-io-state}): no more I/O and no more callbacks; active and queued
     * operations end silently and unwritten output is dropped (use {@link #closeGracefully} to write it first). The
     * socket is closed unless {@code keepAlive}; the channel then stays registered until the loop's next select.
     * Closing a closed state does nothing. From another thread the close runs on the loop thread and this call
     * waits for it, except from the loop thread of another collection, where it is queued (so two loops closing
     * each other's states cannot deadlock).
     *
     * @param keepAlive leave the socket open for other use
     * @return the length of buffered input not yet consumed; {@link #getBufferedData} still returns it
     */
    public int close(boolean keepAlive) {
        if (collection.inOtherLoopThread() && collection.isLoopRunning()) {
            // Waiting here could deadlock two loops whose callbacks close each other's states: close on our loop
            // soon, and report what is buffered now.
            int buffered = inputLength;
            collection.submit(() -> closeNow(keepAlive));
            return buffered;
        }
        return collection.callOnLoop(() -> closeNow(keepAlive));
    }

    /**
     * Closes the state without losing output: stops reading (an active read ends without its callback), writes
     * everything {@link #writeBuffer} accepted, shuts the output down so the peer sees EOF after the last byte, reads
     * and drops input until the peer's EOF (at most 2 s: closing with unread input would make the kernel reset the
     * connection and could destroy the tail of the output), then closes and calls {@code closedCallback(state)} on
     * the loop thread. If the output is not written within {@code timeout} (or fails), the state is closed anyway.
     * Beyond LispWorks: MINA's "close on flush".
     *
     * @param timeout how long writing may take; {@code null} = no limit beyond the write timeout
     * @param closedCallback {@code (state)} on the loop thread once closed; {@code null} = none
     */
    public void closeGracefully(Duration timeout, StateCallback closedCallback) {
        Timeouts.check("timeout", timeout);
        closing = true;
        onLoopLater(() -> {
            if (!open) {
                if (closedCallback != null) {
                    invoke(closedCallback);
                }
                return;
            }
            if (closeWhenFlushed || draining) {
                // Closing already: keep the first caller's callback and add this one, keep the first deadline.
                StateCallback first = gracefulCloseCallback;
                gracefulCloseCallback = first == null ? closedCallback : closedCallback == null ? first : st -> {
                    first.call(st);
                    closedCallback.call(st);
                };
                return;
            }
            if (readKind != NO_READ) {
                endRead();
            }
            gracefulCloseCallback = closedCallback;
            closeWhenFlushed = true;
            if (currentWrite == null && (tls == null || !tls.hasPendingOutput())) {
                finishGracefulClose();
                return;
            }
            if (currentWrite == null) {
                // Only ciphertext is left: OP_WRITE finishes it (flushTlsOnly), then the close.
                setInterest(SelectionKey.OP_WRITE, true);
            }
            if (timeout != null) {
                closeDeadline = new StateDeadline() {
                    @Override
                    protected void expired(long now) {
                        if (open && closeWhenFlushed) {
                            Loggers.LOOP.log(Level.DEBUG, () -> AsyncIoState.this + ": output not written within "
                                    + timeout + "; closing anyway");
                            finishGracefulClose();
                        }
                    }
                };
                collection.deadlines().schedule(closeDeadline, collection.now() + Timeouts.toNanos(timeout));
            }
        });
    }

    private void finishGracefulClose() {
        closeWhenFlushed = false;
        if (currentWrite != null || connecting || tcp == null || !open) {
            closeDrained();
            return;
        }
        if (tls != null) {
            tls.closeQuietly();
        }
        try {
            tcp.shutdownOutput();
        } catch (IOException | RuntimeException gone) {
            closeDrained();
            return;
        }
        // Closing with unread input makes the kernel answer with RST, which can destroy what we just wrote before
        // the peer has read it. So after our FIN, read and drop input until the peer's EOF, for a bounded time.
        draining = true;
        readKind = NO_READ;
        setInterest(SelectionKey.OP_READ, true);
        if (closeDeadline != null) {
            collection.deadlines().cancel(closeDeadline);
        }
        closeDeadline = new StateDeadline() {
            @Override
            protected void expired(long now) {
                if (draining && open) {
                    closeDrained();
                }
            }
        };
        collection.deadlines().schedule(closeDeadline, collection.now() + DRAIN_TIMEOUT_NANOS);
        drainInput();
    }

    private void drainInput() {
        ByteBuffer d = collection.readDirect;
        try {
            for (int i = 0; i < 16; i++) {
                d.clear();
                int n = tcp.read(d);
                if (n < 0) {
                    closeDrained();
                    return;
                }
                if (n == 0) {
                    return;
                }
            }
        } catch (IOException e) {
            closeDrained();
        }
    }

    private void closeDrained() {
        StateCallback cb = gracefulCloseCallback;
        gracefulCloseCallback = null;
        draining = false;
        closeNow(false);
        if (cb != null) {
            invoke(cb);
        }
    }

    int closeNow(boolean keepAlive) {
        if (!open) {
            return inputLength;
        }
        int buffered = closeChannel(keepAlive);
        // Closed some other way while a graceful close was under way: its caller still hears of it.
        StateCallback graceful = gracefulCloseCallback;
        gracefulCloseCallback = null;
        if (graceful != null) {
            invoke(graceful);
        }
        return buffered;
    }

    private int closeChannel(boolean keepAlive) {
        open = false;
        int buffered = inCheckingCallback ? presentedLength : inputLength;
        readKind = NO_READ;
        readCallback = null;
        readErrorCallback = null;
        waitCallback = null;
        readBuf = null;
        if (currentWrite != null) {
            dropWrites();
        }
        if (readDeadline != null) {
            collection.deadlines().cancel(readDeadline);
        }
        if (writeDeadline != null) {
            collection.deadlines().cancel(writeDeadline);
        }
        if (closeDeadline != null) {
            collection.deadlines().cancel(closeDeadline);
            closeDeadline = null;
        }
        if (connectAttempt != null) {
            collection.deadlines().cancel(connectAttempt);
            connectAttempt = null;
        }
        if (tls != null) {
            // Stops a handshake or detach in progress: no timer, task or driver may call back on a closed state.
            tls.dispose();
            // LispWorks: closing detaches SSL, also with keep-alive; the peer gets a close_notify if the socket takes it.
            tls.closeQuietly();
            tls = null;
            tlsSide = null;
        }
        if (key != null) {
            key.cancel();
        }
        if (!keepAlive) {
            closeQuietly(channel);
        }
        collection.unlink(this);
        if (handle != null) {
            handle.stateClosed(this);
        }
        READ_BUSY.setVolatile(this, 0);
        WRITE_BUSY.setVolatile(this, 0);
        // Last, so that the callback sees the state fully closed; 'open' is false already, so this runs once.
        StateCallback closed = limits.closedCallback();
        if (closed != null) {
            invoke(closed);
        }
        return buffered;
    }

    @Override
    public void closeSilently() {
        closeNow(false);
    }

    /**
     * Shuts the socket down in one direction, failing if an operation is active there. See
     * {@link #shutdown(Direction, boolean, ShutdownCallback)}.
     *
     * @param direction {@link Direction#OUTPUT} for a half-close
     * @return {@link ShutdownOutcome#DONE} or {@link ShutdownOutcome#FAILED}
     */
    public ShutdownOutcome shutdown(Direction direction) {
        return shutdown(direction, false, null);
    }

    /**
     * Shuts the socket down (LispWorks {@code async-io-state-shutdown}): {@link Direction#OUTPUT} sends EOF to the
     * peer after what was written (a half-close: reading goes on), {@link Direction#INPUT} makes later reads see EOF,
     * {@link Direction#IO} both. With no operation active in that direction it happens before the call returns and
     * {@code callback(state, failureOrNull)} is queued to the loop thread. With one active: {@code abort=false} throws,
     * {@code abort=true} aborts it (no abort callback) and shuts down on the loop thread, reporting through the
     * callback.
     *
     * @param direction which side
     * @param abort whether to abort an active operation in that direction
     * @param callback {@code (state, failureOrNull)} on the loop thread; {@code null} = none
     * @return {@link ShutdownOutcome#DONE}, {@link ShutdownOutcome#FAILED} or {@link ShutdownOutcome#PENDING}
     * @throws IllegalStateException if the state is closed, or an operation is active there and {@code abort} is false
     */
    public ShutdownOutcome shutdown(Direction direction, boolean abort, ShutdownCallback callback) {
        Objects.requireNonNull(direction, "direction");
        requireTcp("shutdown", "close");
        requireOpenState("shutdown");
        boolean active = (direction.includesInput() && readBusy != 0)
                || (direction.includesOutput() && isWriting());
        if (active) {
            if (!abort) {
                throw new IllegalStateException(this + ": shutdown(" + direction + ") while an operation is active "
                        + "in that direction; pass abort=true to abort it");
            }
            onLoopLater(() -> {
                if (!open) {
                    return;
                }
                if (direction.includesInput() && readKind != NO_READ) {
                    endRead();
                }
                if (direction.includesOutput() && currentWrite != null) {
                    dropWrites();
                }
                Throwable failure = shutdownChannel(direction);
                if (callback != null) {
                    invokeShutdown(callback, failure);
                }
            });
            return ShutdownOutcome.PENDING;
        }
        // Over TLS the engine is loop-owned and must send close_notify before the FIN: shut down there, and only
        // once the ciphertext of completed writes has left (PENDING until then).
        if (tlsSide != null && direction.includesOutput()) {
            Boolean pending = collection.callOnLoop(() -> {
                if (tls != null && tls.hasPendingOutput()) {
                    shutdownWhenFlushed = direction;
                    shutdownCallback = callback;
                    setInterest(SelectionKey.OP_WRITE, true);
                    return true;
                }
                return false;
            });
            if (pending) {
                return ShutdownOutcome.PENDING;
            }
        }
        Throwable failure = tlsSide != null && direction.includesOutput()
                ? collection.callOnLoop(() -> shutdownChannel(direction)) : shutdownChannel(direction);
        if (callback != null) {
            onLoopLater(() -> invokeShutdown(callback, failure));
        }
        return failure == null ? ShutdownOutcome.DONE : ShutdownOutcome.FAILED;
    }

    private Throwable shutdownChannel(Direction direction) {
        try {
            if (direction.includesInput()) {
                tcp.shutdownInput();
            }
            if (direction.includesOutput()) {
                TlsSession t = tls;
                if (t != null) {
                    // A TLS half-close: close_notify, then the FIN, as closeGracefully does.
                    t.closeQuietly();
                }
                tcp.shutdownOutput();
            }
            return null;
        } catch (IOException e) {
            return e;
        }
    }

    // =================================================================== loop-side plumbing

    /** Called by the connector once the socket is connected (or failed); loop thread. */
    void connected() {
        connecting = false;
        updateInterest();
        if (currentWrite != null) {
            markReady(READY_FLUSH);
        }
    }

    void attachConnect(TcpConnector.ConnectAttempt attempt) {
        this.connectAttempt = attempt;
    }

    TcpConnector.ConnectAttempt connectAttempt() {
        return connectAttempt;
    }

    SocketChannel socketChannel() {
        return tcp;
    }

    /** @return whether the state holds a UDP socket */
    public boolean isUdp() {
        return udp != null;
    }

    @Override
    public void ready(int readyOps) {
        if (connecting) {
            if ((readyOps & SelectionKey.OP_CONNECT) != 0) {
                TcpConnector.finish(this);
            }
            return;
        }
        if (tls != null && tls.isBusy()) {
            tls.step();
            return;
        }
        if (draining) {
            drainInput();
            return;
        }
        if ((readyOps & SelectionKey.OP_READ) != 0 && open) {
            onReadable();
            afterTlsRead();
        }
        if ((readyOps & SelectionKey.OP_WRITE) != 0 && open) {
            flush();
        }
    }

    /**
     * Decrypted bytes left in the engine (more than one read took) will not make the socket readable again, so the
     * read goes on from the ready list; a partial record in {@code netIn} does wait for the socket. Replies the
     * engine produced while reading (TLS 1.3 key updates) are flushed through OP_WRITE.
     */
    /** The engine checks a renegotiation off the loop: nothing can be read or written, so select for nothing. */
    private void tlsPausing() {
        interestOps = 0;
        updateInterest();
    }

    /** The engine finished the tasks of a renegotiation: reads and writes that waited go on. */
    private void tlsResumed() {
        if (!open || tls == null) {
            return;
        }
        if (readKind != NO_READ) {
            markReady(READY_READ);
        }
        if (currentWrite != null || tls.hasPendingOutput()) {
            markReady(READY_FLUSH);
        }
    }

    private void afterTlsRead() {
        if (tls == null || !open) {
            return;
        }
        if (readKind != NO_READ && tls.hasDecrypted()) {
            markReady(READY_READ);
        }
        if (tls.hasPendingOutput()) {
            setInterest(SelectionKey.OP_WRITE, true);
        }
    }

    @Override
    public void rekey(SelectionKey key) {
        this.key = key;
    }

    void processReady() {
        int f = readyFlags;
        readyFlags = 0;
        if (!open) {
            return;
        }
        if ((f & READY_READ) != 0 && readKind != NO_READ && !connecting) {
            serveFromInput();
            afterTlsRead();
        }
        if ((f & READY_FLUSH) != 0 && open) {
            flush();
        }
    }

    private void markReady(int flag) {
        if (readyFlags == 0) {
            collection.markReady(this);
        }
        readyFlags |= flag;
    }

    private void setInterest(int op, boolean on) {
        if (on && tls != null && tls.isPaused()) {
            // Interest would only spin while the engine works off the loop; tlsResumed marks the state ready.
            return;
        }
        int ops = on ? interestOps | op : interestOps & ~op;
        if (ops != interestOps) {
            interestOps = ops;
            updateInterest();
        }
    }

    void updateInterest() {
        if (key == null || !key.isValid()) {
            return;
        }
        int ops = connecting ? SelectionKey.OP_CONNECT : interestOps;
        try {
            if (key.interestOps() != ops) {
                key.interestOps(ops);
            }
        } catch (RuntimeException cancelled) {
            // The key was cancelled by a concurrent close; nothing to select any more.
        }
    }

    /** Runs {@code action} now when on the loop thread, else queues it there. */
    private void onLoop(Runnable action) {
        if (collection.inLoopThread()) {
            action.run();
        } else {
            collection.submit(action);
        }
    }

    /** Runs {@code action} on the loop thread after the current callback returns: never synchronously. */
    private void onLoopLater(Runnable action) {
        collection.submit(action);
    }

    private boolean invoke(BufferCallback cb, byte[] buf, int count) {
        if (cb == null) {
            return true;
        }
        try {
            cb.call(this, buf, count);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            collection.callbackFailed(this, handle, t);
            return false;
        }
    }

    private boolean invoke(StateCallback cb) {
        if (cb == null) {
            return true;
        }
        try {
            cb.call(this);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            collection.callbackFailed(this, handle, t);
            return false;
        }
    }

    boolean invokeConnect(ConnectCallback cb, Throwable failure) {
        try {
            cb.call(this, failure);
            return true;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            collection.callbackFailed(this, handle, t);
            return false;
        }
    }

    private void invokeShutdown(ShutdownCallback cb, Throwable failure) {
        try {
            cb.call(this, failure);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable t) {
            collection.callbackFailed(this, handle, t);
        }
    }

    private void countRead(int n) {
        BYTES_READ.setOpaque(this, bytesRead + n);
        collection.counters.addBytesRead(n);
        if (handle != null) {
            handle.counters.addBytesRead(n);
        }
    }

    private void countWritten(int n) {
        BYTES_WRITTEN.setOpaque(this, bytesWritten + n);
        collection.counters.addBytesWritten(n);
        if (handle != null) {
            handle.counters.addBytesWritten(n);
        }
    }

    private void countFailure(IoStatus status) {
        if (status == IoStatus.TIMEOUT) {
            collection.counters.timeout();
            if (handle != null) {
                handle.counters.timeout();
            }
        } else if (status == IoStatus.ERROR) {
            collection.counters.error();
            if (handle != null) {
                handle.counters.error();
            }
        }
    }

    private void requireOpenState(String what) {
        if (!open) {
            throw new IllegalStateException(this + ": " + what + " on a closed state");
        }
        if (closing) {
            throw new IllegalStateException(this + ": " + what + " on a state that is closing (closeGracefully "
                    + "was called)");
        }
    }

    private static void checkRange(byte[] buffer, int start, int end) {
        Objects.requireNonNull(buffer, "buffer");
        if (start < 0 || end < start || end > buffer.length) {
            throw new IllegalArgumentException("buffer range must satisfy 0 <= start <= end <= length, got start="
                    + start + " end=" + end + " length=" + buffer.length);
        }
    }

    static void closeQuietly(java.nio.channels.Channel channel) {
        try {
            channel.close();
        } catch (IOException | RuntimeException ignored) {
            // Closing is best effort: the descriptor is released either way.
        }
    }

    @Override
    public String toString() {
        return "AsyncIoState[" + name() + (open ? "" : ", closed") + "]";
    }

    /** A timeout of this state: if its handler fails, the state is closed and the loop goes on. */
    private abstract class StateDeadline extends DeadlineQueue.Entry {
        @Override
        protected void expiryFailed(RuntimeException failure) {
            closeSilently();
        }
    }

    /** The read or write idle timeout of this state. */
    private final class Deadline extends StateDeadline {
        private final boolean read;

        Deadline(boolean read) {
            this.read = read;
        }

        @Override
        protected void expired(long now) {
            if (!open) {
                return;
            }
            if (read) {
                readTimedOut(now);
            } else {
                writeTimedOut(now);
            }
        }
    }
}
