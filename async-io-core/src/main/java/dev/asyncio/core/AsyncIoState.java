package dev.asyncio.core;

import dev.asyncio.core.internal.engine.Arguments;
import dev.asyncio.core.internal.engine.ChannelKind;
import dev.asyncio.core.internal.engine.CollectionContext;
import dev.asyncio.core.internal.engine.Datagrams;
import dev.asyncio.core.internal.engine.IdleWatch;
import dev.asyncio.core.internal.engine.ReadSide;
import dev.asyncio.core.internal.engine.StateEngine;
import dev.asyncio.core.internal.engine.StateGroup;
import dev.asyncio.core.internal.engine.TlsControl;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.Timeouts;

import org.jspecify.annotations.Nullable;

import java.net.InetSocketAddress;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.time.Duration;
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
public final class AsyncIoState {

    private static final AtomicLong NAMES = new AtomicLong();

    private final WaitStateCollection collection;
    private final StateEngine engine;
    private final long id = NAMES.incrementAndGet();
    // Null until asked for or set: a generated name per idle connection would cost ~50 bytes of heap each.
    private volatile String name;
    // Read before every callback of this state: null (no scope) costs a field read and a branch.
    private volatile CallbackScope callbackScope;

    /** Made by the collection's state factory; the engine registers the channel with the collection's selector. */
    AsyncIoState(WaitStateCollection collection, CollectionContext context, ChannelKind kind, StateGroup group,
                 StateOptions options, boolean connecting) {
        this.collection = collection;
        this.name = options.name();
        this.engine = new StateEngine(this, context, kind, group, options, connecting);
        engine.open(); // only now: it publishes this state, whose engine field must be set first
    }

    /** @return the engine behind this state */
    StateEngine engine() {
        return engine;
    }

    /** @return the collection the state belongs to (LispWorks {@code async-io-state-collection}) */
    public WaitStateCollection collection() {
        return collection;
    }

    /**
     * @return the state's socket, a {@link java.nio.channels.SocketChannel} or a {@link DatagramChannel} (LispWorks
     *         {@code async-io-state-object}); don't do I/O on it while the state is open
     */
    public SelectableChannel channel() {
        return engine.kind().channel();
    }

    /** @return the accepting handle that made this state, or {@code null} */
    public @Nullable AcceptingHandle handle() {
        return engine.group() != null ? engine.group().handle() : null;
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
        return engine.settings().userInfo();
    }

    /** @param userInfo the application's object; never used by the library */
    public void setUserInfo(Object userInfo) {
        engine.settings().userInfo(userInfo);
    }

    /** @return the scope this state's callbacks run in, or {@code null} (the default: none) */
    public @Nullable CallbackScope callbackScope() {
        return callbackScope;
    }

    /**
     * Sets the scope each later callback of this state runs in (a tracing context, say); the callback that is running
     * keeps the scope it started in. Any thread; callbacks already queued may still see the previous scope.
     *
     * @param scope the scope, or {@code null} for none
     */
    public void setCallbackScope(@Nullable CallbackScope scope) {
        this.callbackScope = scope;
    }

    /** @return the read-direction idle timeout, {@code null} = none (LispWorks {@code async-io-state-read-timeout}) */
    public @Nullable Duration readTimeout() {
        return Timeouts.fromNanos(engine.settings().readTimeoutNanos());
    }

    /**
     * Sets the read-direction timeout for later operations (LispWorks {@code (setf async-io-state-read-timeout)}).
     *
     * @param timeout positive, or {@code null} for none
     */
    public void setReadTimeout(@Nullable Duration timeout) {
        engine.settings().readTimeout(Timeouts.check("readTimeout", timeout));
    }

    /**
     * @return the total read deadline, {@code null} = none; beyond LispWorks (see {@link StateOptions#readDeadline()})
     */
    public @Nullable Duration readDeadline() {
        return Timeouts.fromNanos(engine.settings().readDeadlineNanos());
    }

    /**
     * Sets the total read deadline for later read operations (see {@link StateOptions#readDeadline()}).
     *
     * @param deadline positive, or {@code null} for none
     */
    public void setReadDeadline(@Nullable Duration deadline) {
        engine.settings().readDeadline(Timeouts.check("readDeadline", deadline));
    }

    /** @return the write idle timeout, {@code null} = none (LispWorks {@code async-io-state-write-timeout}) */
    public @Nullable Duration writeTimeout() {
        return Timeouts.fromNanos(engine.settings().writeTimeoutNanos());
    }

    /**
     * Sets the write timeout for later operations (LispWorks {@code (setf async-io-state-write-timeout)}).
     *
     * @param timeout positive, or {@code null} for none
     */
    public void setWriteTimeout(@Nullable Duration timeout) {
        engine.settings().writeTimeout(Timeouts.check("writeTimeout", timeout));
    }

    /** @return the most bytes read between two read-with-checking callbacks (LispWorks {@code async-io-state-max-read}) */
    public int maxRead() {
        return engine.read().maxRead();
    }

    /** @param maxRead positive byte count (LispWorks {@code (setf async-io-state-max-read)}) */
    public void setMaxRead(int maxRead) {
        if (maxRead <= 0) {
            throw new IllegalArgumentException("maxRead must be positive, got " + maxRead);
        }
        engine.read().maxRead(maxRead);
    }

    /**
     * @return in a read-with-checking callback, how much of the buffer the previous callback of the same operation
     *         already saw and left undiscarded (0 on the first callback), so a parser need only scan from there
     *         (LispWorks {@code async-io-state-old-length})
     */
    public int oldLength() {
        return engine.read().oldLength();
    }

    /** @return the read status (LispWorks {@code async-io-state-read-status}) */
    public IoStatus readStatus() {
        return engine.status().readStatus();
    }

    /** @return the write status (LispWorks {@code async-io-state-write-status}) */
    public IoStatus writeStatus() {
        return engine.status().writeStatus();
    }

    /** @return the cause of a read-direction {@link IoStatus#ERROR}, else {@code null} */
    public @Nullable Throwable readFailure() {
        return engine.status().readFailure();
    }

    /** @return the cause of a write {@link IoStatus#ERROR}, else {@code null} */
    public @Nullable Throwable writeFailure() {
        return engine.status().writeFailure();
    }

    /**
     * @return the socket's local address, or {@code null} (LispWorks {@code async-io-state-address}); {@code null}
     *         for a Unix domain socket, whose address {@link #localSocketAddress()} gives
     */
    public @Nullable InetSocketAddress localAddress() {
        return engine.localAddress();
    }

    /**
     * @return the peer's address, or {@code null} when not connected (LispWorks {@code async-io-state-peer-address});
     *         {@code null} for a Unix domain socket, whose address {@link #peerSocketAddress()} gives. Behind a
     *         PROXY protocol header ({@link AcceptOptions#proxyProtocol()}) the client's address the header gives
     *         (TCP and Unix sockets alike), the proxy's being {@link #proxyPeerAddress()}
     */
    public @Nullable InetSocketAddress peerAddress() {
        return engine.peerAddress();
    }

    /**
     * @return the state's local socket address whatever the socket: an {@code InetSocketAddress} for TCP and UDP, a
     *         {@link java.net.UnixDomainSocketAddress} for a Unix domain socket; {@code null} if unknown (closed)
     */
    public java.net.@Nullable SocketAddress localSocketAddress() {
        return dev.asyncio.core.internal.net.SocketAddresses.local(engine.kind().channel());
    }

    /**
     * @return the peer's socket address whatever the socket: an {@code InetSocketAddress} for TCP and connected UDP,
     *         a {@link java.net.UnixDomainSocketAddress} for a Unix domain socket (the server's path on the
     *         connecting side; usually an empty path on the accepting side, as Unix clients rarely bind);
     *         {@code null} if unknown. Always the socket's own peer: behind a PROXY protocol header, the proxy
     */
    public java.net.@Nullable SocketAddress peerSocketAddress() {
        return dev.asyncio.core.internal.net.SocketAddresses.peer(engine.kind().channel());
    }

    /**
     * @return the PROXY protocol header this connection started with ({@link AcceptOptions#proxyProtocol()}): the
     *         client's and the proxy's addresses, the v2 TLVs; {@code null} when none was read (the handle does not
     *         read the protocol, or {@link ProxyProtocol#AUTO} found a direct connection). Any thread
     */
    public @Nullable ProxyInfo proxyInfo() {
        return engine.kind().proxyInfo();
    }

    /**
     * @return the address of the proxy that sent this connection's PROXY protocol header (the socket's own peer,
     *         while {@link #peerAddress()} is the client's); {@code null} when no header was read, or when the proxy
     *         came over a Unix socket ({@link ProxyInfo#proxyAddress()} then holds its socket address). Any thread
     */
    public @Nullable InetSocketAddress proxyPeerAddress() {
        ProxyInfo p = engine.kind().proxyInfo();
        return p != null && p.proxyAddress() instanceof InetSocketAddress a ? a : null;
    }

    /** @return whether the state is open (not closed by {@link #close()} or the collection) */
    public boolean isOpen() {
        return engine.isOpen();
    }

    /** @return whether a read-direction operation is active */
    public boolean isReading() {
        return engine.read().isClaimed();
    }

    /** @return whether a write is active or queued */
    public boolean isWriting() {
        return engine.outbound().isWriting();
    }

    /** @return whether writes queue ({@link StateOptions#queueOutput()}) */
    public boolean queueOutput() {
        return engine.options().queueOutput();
    }

    /**
     * @return false once queued output reached the high water mark, true again once it drains to the low water
     *         mark; the writability callback ({@link StateOptions#writabilityCallback()}) is told of every change
     */
    public boolean isWritable() {
        return engine.outbound().isWritable();
    }

    /**
     * Sets the callback told (on the loop thread) whenever {@link #isWritable()} changes, for this state only;
     * it replaces {@link StateOptions#writabilityCallback()}.
     *
     * @param callback {@code (state)} on the loop thread; {@code null} = back to the options' callback
     */
    public void setWritabilityCallback(@Nullable StateCallback callback) {
        engine.output().writabilityCallback(callback);
    }

    /** @return whether {@link #closeGracefully} was called and the state is finishing its output before it closes */
    public boolean isClosing() {
        return engine.closeRequested() && engine.isOpen();
    }

    /** @return bytes accepted by {@link #writeBuffer} and not yet written to the socket */
    public long queuedOutput() {
        return engine.outbound().queuedBytes();
    }

    /**
     * @return bytes read from the socket and not yet handed over: what a finished read-with-checking left
     *         undiscarded (LispWorks {@code async-io-state-buffered-data-length})
     */
    public int bufferedDataLength() {
        return engine.loop().callOnLoop(() -> engine.read().bufferedLength());
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
        Arguments.checkRange(buffer, start, end);
        if (engine.read().isClaimed()) {
            throw new IllegalStateException(this + ": getBufferedData is not allowed while a read operation is "
                    + "active (finish or abort it first)");
        }
        return engine.loop().callOnLoop(() -> engine.read().takeBuffered(buffer, start, end));
    }

    /** @return bytes read from the socket so far (decrypted bytes for TLS); cheap from any thread, maybe a moment behind */
    public long bytesRead() {
        return engine.counters().bytesRead();
    }

    /** @return bytes written to the socket so far (plaintext for TLS); cheap from any thread, maybe a moment behind */
    public long bytesWritten() {
        return engine.counters().bytesWritten();
    }

    /** @return a snapshot for listings; asks the loop thread when called from another thread */
    public StateSnapshot snapshot() {
        return engine.loop().callOnLoop(() -> engine.snapshot(name()));
    }

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
        Arguments.checkRange(buffer, start, end);
        Objects.requireNonNull(callback, "callback");
        Objects.requireNonNull(options, "options");
        engine.kind().transport("readBuffer", "receiveMessage");
        ReadSide read = engine.read();
        read.claim("readBuffer");
        engine.settings().applyReadOptions(options);
        BufferCallback errorCallback = options.errorCallback();
        read.readBuffer(buffer, start, end, callback, errorCallback);
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
     * <p>A {@code null} callback (LispWorks allows {@code nil}) reads without calling anything: input collects in the
     * state's buffer until EOF, timeout, error or {@link StateOptions#maxBufferedInput()} ends the operation, or
     * {@link #abort(Direction, BufferCallback) abort} ends it earlier; then {@link #bufferedDataLength()} and
     * {@link #getBufferedData} give the bytes, and the next read operation starts with them.
     *
     * @param callback {@code (state, buffer, end)} on the loop thread; {@code null} = only buffer the input
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void readWithChecking(@Nullable BufferCallback callback) {
        readWithChecking(callback, OperationOptions.NONE);
    }

    /**
     * As {@link #readWithChecking(BufferCallback)}, with options.
     *
     * @param callback {@code (state, buffer, end)} on the loop thread; {@code null} = only buffer the input
     * @param options sticky timeout, max-read and user info; error callback
     * @throws IllegalStateException if a read-direction operation is active or the state is closed
     */
    public void readWithChecking(@Nullable BufferCallback callback, OperationOptions options) {
        Objects.requireNonNull(options, "options");
        engine.kind().transport("readWithChecking", "receiveMessage");
        ReadSide read = engine.read();
        read.claim("readWithChecking");
        engine.settings().applyReadOptions(options);
        if (options.maxRead() > 0) {
            read.maxRead(options.maxRead());
        }
        BufferCallback errorCallback = options.errorCallback();
        read.readWithChecking(callback, errorCallback);
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
        engine.kind().tls("waitForInput", "receiveMessage").requirePlain("waitForInput");
        ReadSide read = engine.read();
        read.claim("waitForInput");
        engine.settings().applyReadOptions(options);
        read.waitForInput(callback);
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
        return engine.read().discard(count);
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
        return engine.read().finish(discard);
    }

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
    public void writeBuffer(byte[] buffer, int start, int end, @Nullable BufferCallback callback) {
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
    public void writeBuffer(byte[] buffer, int start, int end, @Nullable BufferCallback callback,
            OperationOptions options) {
        Arguments.checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        engine.output().writeBuffer(buffer, start, end, callback, options);
    }

    // ------------------------------------------------------------------ ByteBuffer operations (not LispWorks)

    /**
     * Reads until {@code buffer} has no bytes remaining (from its position to its limit), then calls
     * {@code callback(state, buffer, count)} on the loop thread: {@link #readBuffer(byte[], int, int, BufferCallback,
     * OperationOptions)} for a {@link java.nio.ByteBuffer}, with the same statuses, early ends (EOF, timeout, error: the same
     * callback runs with the partial count and the status set), one-read-at-a-time rule and sticky options. The
     * transport reads straight into the buffer: into a direct buffer on plain TCP without any copy.
     *
     * <p><b>Ownership.</b> The state owns the buffer from this call until the callback: don't read, write or move its
     * position or limit meanwhile. In the callback it is yours again, its position advanced by {@code count}. An
     * {@linkplain #abort(Direction, BufferCallback) abort} callback gets {@code null} for the buffer and the count.
     *
     * @param buffer where the bytes go, from its position to its limit; not read-only
     * @param callback {@code (state, buffer, count)} on the loop thread
     * @param options sticky timeout and user info; no error callback (the callback itself sees errors)
     * @throws IllegalStateException if a read-direction operation is active, the state is closed, or it is UDP
     * @throws IllegalArgumentException for a read-only buffer or an error callback in the options
     */
    public void readBuffer(java.nio.ByteBuffer buffer, ByteBufferCallback callback, OperationOptions options) {
        startByteBufferRead("readBuffer", buffer, true, callback, options);
    }

    /**
     * As {@link #readBuffer(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)} without options.
     *
     * @param buffer where the bytes go, from its position to its limit; not read-only
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void readBuffer(java.nio.ByteBuffer buffer, ByteBufferCallback callback) {
        readBuffer(buffer, callback, OperationOptions.NONE);
    }

    /**
     * Reads what is available, at most the buffer's remaining bytes, and calls {@code callback(state, buffer, count)}
     * on the loop thread as soon as at least one byte arrived (or EOF, a timeout or an error ended it, status set):
     * the read of a proxy or an echo, which forwards whatever came. Otherwise as
     * {@link #readBuffer(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)}, ownership rules included.
     *
     * @param buffer where the bytes go, from its position to its limit; not read-only
     * @param callback {@code (state, buffer, count)} on the loop thread
     * @param options sticky timeout and user info; no error callback
     * @throws IllegalStateException if a read-direction operation is active, the state is closed, or it is UDP
     * @throws IllegalArgumentException for a read-only buffer or an error callback in the options
     */
    public void readAvailable(java.nio.ByteBuffer buffer, ByteBufferCallback callback, OperationOptions options) {
        startByteBufferRead("readAvailable", buffer, false, callback, options);
    }

    /**
     * As {@link #readAvailable(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)} without options.
     *
     * @param buffer where the bytes go, from its position to its limit; not read-only
     * @param callback {@code (state, buffer, count)} on the loop thread
     */
    public void readAvailable(java.nio.ByteBuffer buffer, ByteBufferCallback callback) {
        readAvailable(buffer, callback, OperationOptions.NONE);
    }

    /**
     * {@link #readAvailable(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)} into a direct buffer of the
     * collection's {@link WaitStateCollection#bufferPool() BufferPool}, taken only once bytes are there: an idle
     * connection waiting in this read holds no buffer at all. {@code callback(state, buffer, count)} runs on the loop
     * thread with the bytes in {@code buffer[0, count)} (position {@code count}: flip it to write it), or with a
     * {@code null} buffer when the read ended without a byte (EOF, timeout, error: the status says which). The
     * statuses, sticky options and the one-read rule are those of {@code readAvailable}.
     *
     * <p><b>Ownership.</b> A buffer handed to the callback is the caller's: it must give it back exactly once with
     * {@link BufferPool#release}, typically in the callback of the {@link #writeBuffer(java.nio.ByteBuffer,
     * ByteBufferCallback) writeBuffer} that forwards it. An abort gives back a buffer the read still held.
     *
     * @param callback {@code (state, buffer or null, count)} on the loop thread
     * @param options sticky timeout and user info; no error callback
     * @throws IllegalStateException if a read-direction operation is active, the state is closed, or it is UDP
     * @throws IllegalArgumentException for an error callback in the options
     */
    public void readPooled(@Nullable ByteBufferCallback callback, OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        checkByteBufferOptions("readPooled", options);
        engine.kind().transport("readPooled", "receiveMessage");
        ReadSide read = engine.read();
        read.claim("readPooled");
        engine.settings().applyReadOptions(options);
        dev.asyncio.core.internal.loop.DirectBufferPool pool = collection.bufferPool().engine();
        read.readPooled(pool, callback);
    }

    /**
     * As {@link #readPooled(ByteBufferCallback, OperationOptions)} without options.
     *
     * @param callback {@code (state, buffer or null, count)} on the loop thread
     */
    public void readPooled(@Nullable ByteBufferCallback callback) {
        readPooled(callback, OperationOptions.NONE);
    }

    private void startByteBufferRead(String what, java.nio.ByteBuffer buffer, boolean fill,
                                     ByteBufferCallback callback, OperationOptions options) {
        Objects.requireNonNull(buffer, "buffer");
        Objects.requireNonNull(callback, "callback");
        checkByteBufferOptions(what, options);
        if (buffer.isReadOnly()) {
            throw new IllegalArgumentException(what + " needs a writable buffer, got a read-only one");
        }
        engine.kind().transport(what, "receiveMessage");
        ReadSide read = engine.read();
        read.claim(what);
        engine.settings().applyReadOptions(options);
        read.readInto(buffer, fill, callback);
    }

    /**
     * {@link #readWithChecking(BufferCallback, OperationOptions)} with a read-only {@link java.nio.ByteBuffer} view instead
     * of an array: {@code callback(state, view, end)} sees all undiscarded input in {@code view[0, end)} (position 0,
     * limit {@code end}). When nothing was left from before, the view is of the loop's direct read buffer itself, so
     * the bytes are not copied at all; only what the callback leaves undiscarded is copied into the state's buffer.
     * Consume with {@link #discard(int)} / {@link #finish(int)}, exactly as in the array variant; the statuses, the
     * last callback on EOF, timeout or error, {@link #oldLength()} and the limits are the same.
     *
     * <p><b>Ownership.</b> The view belongs to the state and is valid only during the callback and before
     * {@code discard}/{@code finish}: never keep it, and never hand it to {@link #writeBuffer(java.nio.ByteBuffer,
     * ByteBufferCallback)} (the write happens after the callback, when the bytes are gone; copy them, or use
     * {@link #readPooled} (a {@linkplain WaitStateCollection#bufferPool() pooled buffer}) to forward bytes
     * without a copy). The write refuses the view itself; a duplicate or slice of it cannot be told from another
     * buffer, and would send whatever the loop reads next. Its position and limit are yours to move during the
     * callback.
     *
     * @param callback {@code (state, view, end)} on the loop thread
     * @param options sticky timeout, max-read and user info; no error callback (the callback sees errors)
     * @throws IllegalStateException if a read-direction operation is active, the state is closed, or it is UDP
     * @throws IllegalArgumentException for an error callback in the options
     */
    public void readWithCheckingView(ByteBufferCallback callback, OperationOptions options) {
        Objects.requireNonNull(callback, "callback");
        checkByteBufferOptions("readWithCheckingView", options);
        engine.kind().transport("readWithCheckingView", "receiveMessage");
        ReadSide read = engine.read();
        read.claim("readWithCheckingView");
        engine.settings().applyReadOptions(options);
        if (options.maxRead() > 0) {
            read.maxRead(options.maxRead());
        }
        read.readWithCheckingView(callback);
    }

    /**
     * As {@link #readWithCheckingView(ByteBufferCallback, OperationOptions)} without options.
     *
     * @param callback {@code (state, view, end)} on the loop thread
     */
    public void readWithCheckingView(ByteBufferCallback callback) {
        readWithCheckingView(callback, OperationOptions.NONE);
    }

    /**
     * Writes {@code buffer} from its position to its limit, then calls {@code callback(state, buffer, count)} on the
     * loop thread: {@link #writeBuffer(byte[], int, int, BufferCallback, OperationOptions)} for a {@link java.nio.ByteBuffer},
     * in the same output queue (byte[] and ByteBuffer writes go out in the order they were made), under the same
     * {@code queueOutput} rule, limits, water marks, write timeout and statuses (an early end calls the same callback
     * with the partial count and the status set). A direct buffer is written to the socket as it is, without a copy
     * (over TLS it is encrypted from where it is); a heap buffer is gathered with the writes around it.
     *
     * <p><b>Ownership.</b> The state owns the buffer from this call until the callback: don't change its contents,
     * position or limit meanwhile. In the callback it is yours again, its position advanced past what was written;
     * then it may be reused or {@linkplain BufferPool#release released}. An abort or a close drops the write without
     * its callback (as for arrays), after which the buffer is yours again.
     *
     * @param buffer the bytes, from its position to its limit
     * @param callback {@code (state, buffer, count)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info; no error callback (the callback sees errors)
     * @throws IllegalStateException if the state is closed or UDP, or a write is active and {@code queueOutput} is off
     * @throws OutputLimitExceededException if {@link StateOptions#maxQueuedOutput()} bytes are already queued
     * @throws IllegalArgumentException for an error callback in the options
     */
    public void writeBuffer(java.nio.ByteBuffer buffer, @Nullable ByteBufferCallback callback,
            OperationOptions options) {
        Objects.requireNonNull(buffer, "buffer");
        checkByteBufferOptions("writeBuffer", options);
        engine.read().requireNotOwnView(buffer);
        dev.asyncio.core.internal.engine.BufferWrites.write(engine, buffer, callback, options);
    }

    /**
     * As {@link #writeBuffer(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)} without options.
     *
     * @param buffer the bytes, from its position to its limit
     * @param callback {@code (state, buffer, count)} on the loop thread; {@code null} = none
     */
    public void writeBuffer(java.nio.ByteBuffer buffer, @Nullable ByteBufferCallback callback) {
        writeBuffer(buffer, callback, OperationOptions.NONE);
    }

    /**
     * A gathering write: writes every buffer of {@code buffers} from its position to its limit, in order, as one
     * write (one place in the output queue, one callback, one system call per flush on plain TCP:
     * {@code SocketChannel.write(ByteBuffer[])}), then calls {@code callback(state, buffers, count)} on the loop
     * thread. Otherwise as {@link #writeBuffer(java.nio.ByteBuffer, ByteBufferCallback, OperationOptions)},
     * ownership rules included: the state owns the array and every buffer in it until the callback.
     *
     * @param buffers the bytes; at most {@link Integer#MAX_VALUE} in all
     * @param callback {@code (state, buffers, count)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info; no error callback
     * @throws IllegalStateException if the state is closed or UDP, or a write is active and {@code queueOutput} is off
     * @throws OutputLimitExceededException if {@link StateOptions#maxQueuedOutput()} bytes are already queued
     * @throws IllegalArgumentException for a null element, the same buffer twice (its bytes go out once, from its
     *     position: write a {@code duplicate()} for a second copy), more than 2 GiB in all, or an error callback
     */
    public void writeBuffers(java.nio.ByteBuffer[] buffers, @Nullable BuffersCallback callback,
            OperationOptions options) {
        Objects.requireNonNull(buffers, "buffers");
        checkByteBufferOptions("writeBuffers", options);
        long total = 0;
        for (java.nio.ByteBuffer b : buffers) {
            if (b == null) {
                throw new IllegalArgumentException("writeBuffers: the array holds a null buffer");
            }
            engine.read().requireNotOwnView(b);
            total += b.remaining();
        }
        dev.asyncio.core.internal.engine.Arguments.requireDistinct("writeBuffers", buffers);
        if (total > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("writeBuffers: at most " + Integer.MAX_VALUE + " bytes at once, got "
                    + total);
        }
        dev.asyncio.core.internal.engine.BufferWrites.write(engine, buffers, (int) total, callback, options);
    }

    /**
     * As {@link #writeBuffers(java.nio.ByteBuffer[], BuffersCallback, OperationOptions)} without options.
     *
     * @param buffers the bytes
     * @param callback {@code (state, buffers, count)} on the loop thread; {@code null} = none
     */
    public void writeBuffers(java.nio.ByteBuffer[] buffers, @Nullable BuffersCallback callback) {
        writeBuffers(buffers, callback, OperationOptions.NONE);
    }

    /**
     * Sends {@code count} bytes of {@code file} from {@code position}, then calls {@code callback(state, file, count)}
     * on the loop thread. On plain TCP the kernel copies the file to the socket ({@code FileChannel.transferTo},
     * no user-space copy); over TLS the file is read in chunks through the loop's buffer and encrypted. It is one
     * write in the output queue like any other (FIFO with byte[] and ByteBuffer writes, the {@code queueOutput} rule,
     * counted in {@link #queuedOutput()} and the water marks, the write timeout, statuses: an early end, also a file
     * shorter than {@code position + count}, calls the callback with the partial count and the status set).
     *
     * <p>The file's bytes count in {@link #queuedOutput()} and the water marks (so the state is not writable while a
     * large file is on its way, as Netty counts a {@code FileRegion}), but they are not in memory: the memory budget
     * and {@link StateOptions#maxQueuedOutput()} do not count them, and writes may queue behind a file of any size.
     * A count past 2 GiB is sent in 1 GiB windows, one callback at the end.
     *
     * <p><b>Ownership.</b> The file must stay open until the callback; the state never closes it and never uses or
     * moves the channel's own position, so one file may be sent to many states at once. As for every write, a send
     * that a close drops never calls back: a handler that opens a file per connection closes it in
     * {@link StateOptions#closedCallback()} too.
     *
     * @param file an open file, readable
     * @param position where to start, 0 or more
     * @param count how many bytes, 0 or more (position + count at most {@link Long#MAX_VALUE})
     * @param callback {@code (state, file, count)} on the loop thread; {@code null} = none
     * @param options sticky timeout and user info; no error callback
     * @throws IllegalStateException if the state is closed or UDP, or a write is active and {@code queueOutput} is off
     * @throws OutputLimitExceededException if {@link StateOptions#maxQueuedOutput()} bytes are already queued
     * @throws IllegalArgumentException for a negative position, a count out of range, a file that is closed or
     *     not open for reading, or an error callback
     */
    public void sendFile(java.nio.channels.FileChannel file, long position, long count,
            @Nullable FileSendCallback callback,
                         OperationOptions options) {
        Objects.requireNonNull(file, "file");
        checkByteBufferOptions("sendFile", options);
        dev.asyncio.core.internal.engine.Arguments.requireReadable("sendFile", file);
        if (position < 0 || count < 0 || count > Long.MAX_VALUE - position) {
            throw new IllegalArgumentException("sendFile needs position >= 0, count >= 0 and position + count <= "
                    + Long.MAX_VALUE + ", got position=" + position + " count=" + count);
        }
        dev.asyncio.core.internal.engine.BufferWrites.sendFile(engine, file, position, count, callback, options);
    }

    /**
     * As {@link #sendFile(java.nio.channels.FileChannel, long, long, FileSendCallback, OperationOptions)} without
     * options.
     *
     * @param file an open file, readable
     * @param position where to start
     * @param count how many bytes
     * @param callback {@code (state, file, count)} on the loop thread; {@code null} = none
     */
    public void sendFile(java.nio.channels.FileChannel file, long position, long count,
            @Nullable FileSendCallback callback) {
        sendFile(file, position, count, callback, OperationOptions.NONE);
    }

    private static void checkByteBufferOptions(String what, OperationOptions options) {
        Objects.requireNonNull(options, "options");
        if (options.errorCallback() != null) {
            throw new IllegalArgumentException(what + ": error callbacks take byte[]; the callback of a ByteBuffer "
                    + "or file operation runs on errors too, with the status set");
        }
    }

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
    public void sendMessage(byte[] buffer, int start, int end, @Nullable StateCallback callback) {
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
    public void sendMessage(byte[] buffer, int start, int end, @Nullable StateCallback callback,
            OperationOptions options) {
        engine.kind().datagrams("sendMessage", "writeBuffer").send(buffer, start, end, callback, options);
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
    public void sendMessageToAddress(@Nullable String host, int port, byte[] buffer, int start, int end,
                                     @Nullable StateCallback callback) {
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
    public void sendMessageToAddress(@Nullable String host, int port, byte[] buffer, int start, int end,
                                     @Nullable StateCallback callback, OperationOptions options) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        engine.kind().datagrams("sendMessageToAddress", "writeBuffer")
                .sendTo(host, port, buffer, start, end, callback, options);
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
                                     @Nullable StateCallback callback, OperationOptions options) {
        Objects.requireNonNull(target, "target");
        engine.kind().datagrams("sendMessageToAddress", "writeBuffer")
                .sendTo(target, buffer, start, end, callback, options);
    }

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
        engine.kind().tls("attachTls", "a TCP state").attach(options, callback);
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
    public void handshake(ConnectCallback callback, @Nullable Duration timeout) {
        Objects.requireNonNull(callback, "callback");
        Timeouts.check("timeout", timeout);
        engine.kind().tls("handshake", "a TCP state").handshake(callback, timeout);
    }

    /**
     * Removes TLS (LispWorks {@code async-io-state-detach-ssl}): sends close_notify, waits (up to 10 s) for the
     * peer's, then later traffic is plain; bytes the peer sent after its close_notify are kept as buffered input.
     * Calls {@code callback(state)} on the loop thread. Does nothing but call back when no TLS is attached.
     *
     * @param callback {@code (state)} on the loop thread; {@code null} = none
     * @throws IllegalStateException if an operation is active or the state is closed
     */
    public void detachTls(@Nullable StateCallback callback) {
        engine.kind().tls("detachTls", "a TCP state").detach(callback);
    }

    /**
     * @return the {@link javax.net.ssl.SSLContext} the state's TLS engine came from ({@link TlsOptions#context()}, or
     *         the JDK default when that was null), or {@code null} when no TLS is attached (LispWorks
     *         {@code async-io-state-ctx}); callable from any thread
     */
    public javax.net.ssl.@Nullable SSLContext tlsContext() {
        TlsControl tls = engine.kind().tlsIfAny();
        return tls == null ? null : tls.context();
    }

    /** @return the TLS side, or {@code null} when no TLS is attached (LispWorks {@code async-io-state-ssl-side}) */
    public @Nullable TlsSide tlsSide() {
        TlsControl tls = engine.kind().tlsIfAny();
        return tls == null ? null : tls.side();
    }

    /**
     * @return the TLS engine, or {@code null} when no TLS is attached (LispWorks {@code async-io-state-ssl}); read its
     *         session, or set the role after attaching with {@link TlsSide#BOTH}; never wrap or unwrap with it
     */
    public javax.net.ssl.@Nullable SSLEngine sslEngine() {
        TlsControl tls = engine.kind().tlsIfAny();
        return tls == null ? null : tls.engine();
    }

    /**
     * Aborts the read-direction operation. See {@link #abort(Direction, BufferCallback)}.
     *
     * @param abortCallback called on the loop thread; {@code null} = none
     */
    public void abort(@Nullable BufferCallback abortCallback) {
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
    public void abort(Direction direction, @Nullable BufferCallback abortCallback) {
        Objects.requireNonNull(direction, "direction");
        if (!engine.isOpen()) {
            throw new IllegalStateException(this + ": abort on a closed state");
        }
        engine.loop().submit(() -> engine.abort(direction, abortCallback));
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
    public void abortAndClose(boolean keepAlive, @Nullable StateCallback closeCallback) {
        engine.loop().submit(() -> engine.abortAndClose(keepAlive, closeCallback));
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
        EventLoop loop = engine.loop();
        if (loop.inOtherLoopThread() && loop.isLoopRunning()) {
            // Waiting here could deadlock two loops whose callbacks close each other's states: close on our loop
            // soon, and report what is buffered now.
            int buffered = engine.read().bufferedLength();
            loop.submit(() -> engine.closeNow(keepAlive));
            return buffered;
        }
        return loop.callOnLoop(() -> engine.closeNow(keepAlive));
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
    public void closeGracefully(@Nullable Duration timeout, @Nullable StateCallback closedCallback) {
        Timeouts.check("timeout", timeout);
        engine.closing().closeGracefully(timeout, closedCallback);
    }

    /** Closes the state without callbacks (the collection is closing). Loop thread, or no loop runs. */
    public void closeSilently() {
        engine.closeSilently();
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
    public ShutdownOutcome shutdown(Direction direction, boolean abort, @Nullable ShutdownCallback callback) {
        Objects.requireNonNull(direction, "direction");
        return engine.closing().shutdown(direction, abort, callback);
    }

    /**
     * Starts idle detection (beyond LispWorks; Netty's {@code IdleStateHandler}, Vert.x's idle timeouts): when no
     * byte has been read for {@link IdleOptions#readerIdle()}, none written for {@link IdleOptions#writerIdle()}, or
     * neither for {@link IdleOptions#allIdle()}, {@code callback(state, kind, count)} runs on the loop thread; after
     * another full period without activity in that direction it runs again with the count one higher, and activity
     * starts the count over. {@link IdleOptions} says what counts as activity (bytes read by a read operation, bytes
     * handed to the socket; over TLS the application's bytes). The callback only informs: it decides itself whether
     * to close the state, send a heartbeat or do nothing. An exception it throws goes to the collection's
     * {@link CallbackErrorPolicy}, like any callback's (under {@code LOG}, a state left with no operation in flight is
     * then closed, as after any failed callback).
     *
     * <p>Calling it again replaces the periods and the callback and starts every period over. The periods count from
     * when the loop takes the request (at once on the loop thread). Detection ends with {@link #stopIdleDetection()}
     * or when the state closes. It costs no timer per read or write: one entry in the loop's deadline queue per
     * state that detects idleness, looked at when it is due, and nothing at all for a state that does not.
     *
     * @param options the periods; at least one is set
     * @param callback {@code (state, kind, count)} on the loop thread
     * @throws IllegalStateException if the state is closed
     * @throws NullPointerException if an argument is null
     */
    public void detectIdle(IdleOptions options, IdleCallback callback) {
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(callback, "callback");
        if (!engine.isOpen()) {
            throw new IllegalStateException(this + ": detectIdle on a closed state");
        }
        IdleWatch.start(engine, options, callback);
    }

    /**
     * Stops the idle detection started by {@link #detectIdle}; nothing happens if there is none or the state is
     * closed. On the loop thread (an idle callback included) no idle callback runs after this returns; from another
     * thread the stop is queued to the loop, so a notice already due may still run.
     */
    public void stopIdleDetection() {
        IdleWatch.stop(engine);
    }

    /** @return whether the state holds a UDP socket */
    public boolean isUdp() {
        return engine.kind().channel() instanceof DatagramChannel;
    }

    @Override
    public String toString() {
        return "AsyncIoState[" + name() + (engine.isOpen() ? "" : ", closed") + "]";
    }

    private void startReceive(byte[] buffer, int start, int end, BufferCallback cb, MessageCallback messageCb,
                              OperationOptions options) {
        Arguments.checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        Datagrams udp = engine.kind().datagrams("receiveMessage", "readBuffer or readWithChecking");
        ReadSide read = engine.read();
        read.claim("receiveMessage");
        engine.settings().applyReadOptions(options);
        BufferCallback errorCallback = options.errorCallback();
        read.startOnLoop(() -> udp.receive(buffer, start, end, cb, messageCb, errorCallback));
    }
}
