package dev.asyncio.core.internal.transport;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.loop.DaemonPool;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.memory.MemoryAccount;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS as a decorator over another {@link Transport} (the socket's plain one, or an in-memory one in tests), on an
 * {@link SSLEngine}: ciphertext in {@code netIn}/{@code netOut}, decrypted bytes in {@code appIn} until an
 * operation takes them. Also drives handshakes (the engine's delegated tasks run off the loop thread) and the
 * close_notify exchange of a detach. HttpCore 5's {@code SSLIOSession} is the model. Loop thread only.
 */
public final class TlsTransport implements Transport {

    /** Certificate checks and key agreement are the engine's "delegated tasks": slow, so never on the loop. */
    private static final ExecutorService TASKS = DaemonPool.create("async-io-tls", 2);
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0);


    /** What a handshake or a detach is waiting for, as the state's interest ops should show it. */
    public interface Driver {
        /** @param on whether the socket should be selected for reading */
        void wantRead(boolean on);

        /** @param on whether the socket should be selected for writing */
        void wantWrite(boolean on);

        /**
         * The handshake or detach finished.
         *
         * @param failure {@code null} on success
         * @param status OK, EOF, TIMEOUT or ERROR
         */
        void finished(Throwable failure, IoStatus status);
    }

    private final SSLEngine engine;
    private final TlsSide side;
    private final Transport inner;
    private final EventLoop loop;
    private final String owner;
    private final MemoryAccount account;
    /** Client-initiated renegotiations allowed, and how many there were. */
    private int renegotiationsLeft;
    private boolean established;
    /** A peer's renegotiation is under way (it may need several rounds of tasks): counted once. */
    private boolean renegotiating;
    private SSLException refused;
    /** What this transport charged: given back once, at dispose. */
    private long charged;
    private ByteBuffer netIn;
    private ByteBuffer netOut;
    private ByteBuffer appIn;
    private boolean inboundClosed;

    private final TlsHandshake handshake;
    /** Delegated tasks of a peer-initiated (re)handshake run off the loop; reads and writes wait meanwhile. */
    private boolean postHandshakeTasksRunning;
    private final Runnable onPostHandshakeStart;
    private final Runnable onPostHandshakeDone;
    /** Set once the state closed or detached: a task finishing late must not touch the socket any more. */
    private boolean disposed;

    /**
     * @param engine the configured engine
     * @param side the side it plays
     * @param inner the transport the ciphertext goes through
     * @param loop the loop, for timeouts and to come back from delegated tasks
     * @param owner how errors name the state
     * @param onPostHandshakeStart told when a renegotiation's tasks start off the loop (reads and writes wait)
     * @param onPostHandshakeDone told when they are done
     * @param account where the engine and its buffers are charged
     */
    public TlsTransport(SSLEngine engine, TlsSide side, Transport inner, EventLoop loop,
                        String owner, Runnable onPostHandshakeStart, Runnable onPostHandshakeDone,
                        MemoryAccount account) {
        this.account = account;
        this.renegotiationsLeft = Integer.MAX_VALUE;
        this.onPostHandshakeStart = onPostHandshakeStart;
        this.onPostHandshakeDone = onPostHandshakeDone;
        this.engine = engine;
        this.side = side;
        this.inner = inner;
        this.loop = loop;
        this.owner = owner;
        this.handshake = new TlsHandshake(this, engine, loop, owner);
        int packet = engine.getSession().getPacketBufferSize();
        int app = engine.getSession().getApplicationBufferSize();
        this.netIn = ByteBuffer.allocate(packet);
        this.netOut = ByteBuffer.allocate(packet);
        charge(MemoryAccount.TLS_ENGINE_BYTES + 2L * packet + app);
        this.netOut.flip();
        this.appIn = ByteBuffer.allocate(app);
    }

    // =================================================================== data

    /**
     * @return whether decrypted bytes, or ciphertext not yet unwrapped (a record that arrived with the last handshake
     *         message), wait in memory: the socket will not signal readable for them again
     */
    @Override
    public boolean hasBufferedInput() {
        return appIn.position() > 0 || netIn.position() > 0 || inboundClosed;
    }

    /** @return whether the engine works on renegotiation tasks off the loop: reads and writes wait, interest is off */
    @Override
    public boolean isPaused() {
        return postHandshakeTasksRunning;
    }

    /** @return whether decrypted bytes (or the peer's close) wait to be read: no socket event will announce them */
    @Override
    public boolean hasDecrypted() {
        return appIn.position() > 0 || inboundClosed;
    }

    /** Ends a handshake or detach in progress without calling back: the state closed. */
    public void dispose() {
        if (!disposed) {
            account.release(charged);
            charged = 0;
        }
        disposed = true;
        handshake.stop();
    }

    @Override
    public boolean hasPendingOutput() {
        return netOut.hasRemaining();
    }

    @Override
    public boolean isBusy() {
        return handshake.isRunning();
    }

    /**
     * Moves decrypted bytes into {@code dst}, reading and unwrapping from the socket when none are buffered.
     *
     * @return bytes moved, 0 if none are available yet, -1 once the peer closed (close_notify or EOF)
     */
    /**
     * @param n client-initiated renegotiations to allow on a server-side state ({@link Integer#MAX_VALUE}, the
     *          default of a bare transport, allows all)
     */
    public void maxRenegotiations(int n) {
        renegotiationsLeft = n;
    }

    /**
     * A TLS 1.2 server that must run tasks after its handshake completed is answering a ClientHello: the client
     * started a renegotiation. (TLS 1.3 has none; its post-handshake messages need no tasks on the server.)
     */
    private boolean isPeerRenegotiation() {
        return established && side == TlsSide.SERVER && !"TLSv1.3".equals(engine.getSession().getProtocol());
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        if (refused != null) {
            throw refused;
        }
        if (postHandshakeTasksRunning && appIn.position() == 0) {
            return 0;
        }
        if (appIn.position() == 0) {
            if (inboundClosed) {
                return -1;
            }
            fillPlaintext();
            if (appIn.position() == 0) {
                return inboundClosed ? -1 : 0;
            }
        }
        return takePlaintext(dst);
    }

    private int takePlaintext(ByteBuffer dst) {
        int available = appIn.position();
        int n = Math.min(available, dst.remaining());
        byte[] a = appIn.array();
        dst.put(a, 0, n);
        System.arraycopy(a, n, a, 0, available - n);
        appIn.position(available - n);
        return n;
    }

    private void fillPlaintext() throws IOException {
        while (true) {
            unwrapAvailable();
            if (appIn.position() > 0 || inboundClosed) {
                return;
            }
            if (!netIn.hasRemaining()) {
                netIn = grow(netIn, netIn.capacity() * 2);
            }
            int n = inner.read(netIn);
            if (n < 0) {
                inboundClosed = true;
                try {
                    engine.closeInbound();
                } catch (SSLException truncated) {
                    // The peer closed without close_notify; for reading that is an EOF like any other.
                }
                return;
            }
            if (n == 0) {
                return;
            }
        }
    }

    /** Unwraps every complete record in {@code netIn} into {@code appIn}, answering post-handshake messages. */
    private void unwrapAvailable() throws IOException {
        while (true) {
            SSLEngineResult r = unwrapOnce();
            switch (r.getStatus()) {
                case BUFFER_UNDERFLOW -> {
                    if (netIn.position() == netIn.capacity()) {
                        netIn = grow(netIn, engine.getSession().getPacketBufferSize() + netIn.capacity());
                    }
                    return;
                }
                case CLOSED -> {
                    inboundClosed = true;
                    answerHandshakeInline();
                    return;
                }
                default -> {
                }
            }
            answerHandshakeInline();
            if (r.bytesConsumed() == 0 && r.bytesProduced() == 0) {
                return;
            }
        }
    }

    /**
     * One unwrap of what {@code netIn} holds into {@code appIn}, growing {@code appIn} when the record does not fit;
     * the caller handles underflow (read more), CLOSED and OK.
     */
    SSLEngineResult unwrapOnce() throws SSLException {
        while (true) {
            netIn.flip();
            SSLEngineResult r;
            try {
                r = engine.unwrap(netIn, appIn);
            } finally {
                netIn.compact();
            }
            if (r.getStatus() != SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return r;
            }
            appIn = grow(appIn, Math.max(appIn.capacity() * 2,
                    appIn.position() + engine.getSession().getApplicationBufferSize()));
        }
    }

    /**
     * Answers handshake messages that arrive after the handshake: TLS 1.3 tickets and key updates, a TLS 1.2
     * renegotiation the peer starts. Delegated tasks run off the loop, as the handshake's do; a reply is flushed
     * through OP_WRITE by the state.
     */
    private void answerHandshakeInline() throws IOException {
        if (postHandshakeTasksRunning || disposed) {
            // The engine's lock is held by the task that checks certificates: asking it anything would block the loop.
            return;
        }
        HandshakeStatus hs = engine.getHandshakeStatus();
        if (hs == HandshakeStatus.NEED_TASK && !renegotiating && isPeerRenegotiation()) {
            if (renegotiationsLeft <= 0) {
                refused = new SSLException(owner + ": client-initiated TLS renegotiation refused "
                        + "(TlsOptions.maxRenegotiations)");
                engine.closeOutbound();
                throw refused;
            }
            renegotiationsLeft--;
            renegotiating = true;
        }
        while (hs == HandshakeStatus.NEED_TASK || hs == HandshakeStatus.NEED_WRAP) {
            if (hs == HandshakeStatus.NEED_TASK) {
                // A renegotiation started by the peer checks certificates: that must not run on the loop.
                runPostHandshakeTasksOffLoop();
                return;
            }
            wrap(EMPTY);
            flushPending();
            if (engine.isOutboundDone()) {
                return;
            }
            hs = engine.getHandshakeStatus();
        }
        if (hs == HandshakeStatus.NOT_HANDSHAKING || hs == HandshakeStatus.FINISHED) {
            renegotiating = false;
        }
    }

    private void runPostHandshakeTasksOffLoop() {
        List<Runnable> tasks = takeDelegatedTasks();
        if (tasks.isEmpty()) {
            return;
        }
        postHandshakeTasksRunning = true;
        onPostHandshakeStart.run();
        runOffLoop(tasks, () -> {
            postHandshakeTasksRunning = false;
            if (disposed) {
                return;
            }
            try {
                answerHandshakeInline();
            } catch (IOException e) {
                // The next read or write meets the same failure and reports it through the state.
            }
            onPostHandshakeDone.run();
        });
    }

    private List<Runnable> takeDelegatedTasks() {
        List<Runnable> tasks = new ArrayList<>(2);
        Runnable t;
        while ((t = engine.getDelegatedTask()) != null) {
            tasks.add(t);
        }
        return tasks;
    }

    /** Runs the engine's delegated tasks on the TLS pool, then {@code thenOnLoop} on the loop thread. */
    void runDelegatedTasksOffLoop(Runnable thenOnLoop) {
        runOffLoop(takeDelegatedTasks(), thenOnLoop);
    }

    private void runOffLoop(List<Runnable> tasks, Runnable thenOnLoop) {
        TASKS.execute(() -> {
            try {
                for (Runnable task : tasks) {
                    task.run();
                }
            } finally {
                // If the collection closed while the engine worked, nobody is waiting any more.
                loop.submitIfOpen(thenOnLoop);
            }
        });
    }

    /**
     * Encrypts as much of {@code src} as the socket takes.
     *
     * @return plaintext bytes consumed; their ciphertext may still be pending ({@link #hasPendingOutput()})
     */
    @Override
    public int write(ByteBuffer src) throws IOException {
        if (refused != null) {
            throw refused;
        }
        if (postHandshakeTasksRunning || !flushPending()) {
            return 0;
        }
        int consumed = 0;
        while (src.hasRemaining()) {
            SSLEngineResult r = wrap(src);
            if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                throw new SSLException(owner + ": TLS output is closed");
            }
            consumed += r.bytesConsumed();
            if (!flushPending() || r.bytesConsumed() == 0) {
                break;
            }
        }
        return consumed;
    }

    SSLEngineResult wrap(ByteBuffer src) throws SSLException {
        while (true) {
            netOut.compact();
            SSLEngineResult r;
            try {
                r = engine.wrap(src, netOut);
            } finally {
                netOut.flip();
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                ByteBuffer bigger = ByteBuffer.allocate(netOut.capacity() + engine.getSession().getPacketBufferSize());
                charge(bigger.capacity() - netOut.capacity());
                bigger.put(netOut);
                bigger.flip();
                netOut = bigger;
                continue;
            }
            return r;
        }
    }

    /** @return whether all pending ciphertext is written */
    @Override
    public boolean flushPending() throws IOException {
        while (netOut.hasRemaining()) {
            if (inner.write(netOut) == 0) {
                return false;
            }
        }
        return true;
    }

    /** Sends close_notify as far as the socket takes it without waiting; used when the state closes. */
    public void closeQuietly() {
        if (postHandshakeTasksRunning) {
            // The engine is locked by a certificate check: no close_notify rather than a blocked loop.
            return;
        }
        try {
            engine.closeOutbound();
            while (!engine.isOutboundDone()) {
                SSLEngineResult r = wrap(EMPTY);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            flushPending();
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the socket is being closed anyway.
        }
    }

    /** Queues ciphertext that was read before TLS was attached (STARTTLS: the peer spoke first). */
    public void feed(byte[] ciphertext) {
        if (netIn.remaining() < ciphertext.length) {
            netIn = grow(netIn, netIn.position() + ciphertext.length);
        }
        netIn.put(ciphertext);
    }

    @Override
    public boolean shutdownOnLoop() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        // A TLS half-close: close_notify, then the FIN.
        closeQuietly();
        inner.shutdownOutput();
    }

    @Override
    public void shutdownInput() throws IOException {
        inner.shutdownInput();
    }

    @Override
    public void close() {
        // Stops a handshake or detach in progress: no timer, task or driver may call back on a closed state.
        dispose();
        closeQuietly();
    }

    @Override
    public TlsSide tlsSide() {
        return side;
    }

    @Override
    public SSLEngine sslEngine() {
        return engine;
    }

    private void charge(long n) {
        if (!disposed) {
            charged += n;
            account.charge(n);
        }
    }

    /** @return the transport below, which stays when TLS is detached */
    public Transport inner() {
        return inner;
    }

    /** Hands over bytes that arrived after the peer's close_notify (plain traffic after a detach). */
    public byte[] takeLeftovers() {
        ByteBuffer all = ByteBuffer.allocate(appIn.position() + netIn.position());
        appIn.flip();
        all.put(appIn);
        netIn.flip();
        all.put(netIn);
        return all.array();
    }

    // =================================================================== handshake and detach (TlsHandshake)

    /**
     * Starts a handshake (LispWorks {@code async-io-state-handshake}); loop thread.
     *
     * @param d told what the socket should be selected for, and of the outcome
     * @param timeout the handshake's limit, or {@code null}
     */
    public void startHandshake(Driver d, Duration timeout) {
        handshake.startHandshake(d, timeout);
    }

    /**
     * Starts a detach: sends close_notify and waits for the peer's; loop thread.
     *
     * @param d told what the socket should be selected for, and of the outcome
     * @param timeout the detach's limit, or {@code null}
     */
    public void startDetach(Driver d, Duration timeout) {
        handshake.startDetach(d, timeout);
    }

    /** Advances the handshake or detach as far as it goes without waiting; loop thread. */
    @Override
    public void step() {
        handshake.step();
    }

    /** @return more ciphertext read from the inner transport into {@code netIn} (grown when full): bytes, or -1 */
    int readCiphertext() throws IOException {
        if (!netIn.hasRemaining()) {
            netIn = grow(netIn, netIn.capacity() * 2);
        }
        return inner.read(netIn);
    }

    /** The peer closed the socket while a detach waited for its close_notify. */
    void inboundClosed() {
        inboundClosed = true;
    }

    /** A handshake succeeded: the peer's later handshakes are renegotiations. */
    void established() {
        established = true;
    }

    private ByteBuffer grow(ByteBuffer b, int capacity) {
        ByteBuffer bigger = ByteBuffer.allocate(Math.max(capacity, b.capacity()));
        charge(bigger.capacity() - b.capacity());
        b.flip();
        bigger.put(b);
        return bigger;
    }
}
