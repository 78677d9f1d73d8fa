package dev.asyncio.core.internal.transport;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.TlsClosedException;
import dev.asyncio.core.TlsHandshakeTimeoutException;
import dev.asyncio.core.internal.loop.DeadlineQueue;
import dev.asyncio.core.internal.loop.EventLoop;
import dev.asyncio.core.internal.loop.Timeouts;

import java.io.IOException;
import java.time.Duration;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * The handshake and the detach of one {@link TlsTransport}: steps the engine through its handshake states (or its
 * close_notify exchange) as far as the socket allows, runs delegated tasks off the loop, enforces the timeout, and
 * tells its {@link TlsTransport.Driver} what the socket should be selected for and how it ended. Loop thread only.
 */
final class TlsHandshake {

    private final TlsTransport tls;
    private final SSLEngine engine;
    private final EventLoop loop;
    private final String owner;
    private TlsTransport.Driver driver;
    private boolean detaching;
    private boolean tasksRunning;
    private Timer timer;

    TlsHandshake(TlsTransport tls, SSLEngine engine, EventLoop loop, String owner) {
        this.tls = tls;
        this.engine = engine;
        this.loop = loop;
        this.owner = owner;
    }

    /** @return whether a handshake or detach runs */
    boolean isRunning() {
        return driver != null;
    }

    /** Ends a handshake or detach in progress without calling back: the state closed or the transport went. */
    void stop() {
        driver = null;
        if (timer != null) {
            loop.deadlines().cancel(timer);
            timer = null;
        }
    }

    void startHandshake(TlsTransport.Driver d, Duration timeout) {
        driver = d;
        detaching = false;
        scheduleTimer(timeout);
        try {
            engine.beginHandshake();
        } catch (SSLException | RuntimeException e) {
            finish(e, IoStatus.ERROR);
            return;
        }
        step();
    }

    void startDetach(TlsTransport.Driver d, Duration timeout) {
        driver = d;
        detaching = true;
        scheduleTimer(timeout);
        engine.closeOutbound();
        step();
    }

    private void scheduleTimer(Duration timeout) {
        if (timeout != null) {
            timer = new Timer();
            loop.deadlines().schedule(timer, loop.now() + Timeouts.toNanos(timeout));
        }
    }

    /** Advances the handshake or detach as far as it goes without waiting; loop thread. */
    void step() {
        if (driver == null || tasksRunning) {
            return;
        }
        try {
            if (detaching) {
                stepDetach();
            } else {
                stepHandshake();
            }
        } catch (SSLException e) {
            sendAlertQuietly();
            finish(e, IoStatus.ERROR);
        } catch (IOException e) {
            finish(e, IoStatus.ERROR);
        } catch (RuntimeException e) {
            finish(new SSLException(owner + ": TLS engine failed: " + e.getMessage(), e), IoStatus.ERROR);
        }
    }

    private void stepHandshake() throws IOException {
        // Ciphertext of an earlier step that the socket did not take must go out first, or the peer never answers
        // and OP_WRITE stays armed for nothing.
        if (!tls.flushPending()) {
            driver.wantWrite(true);
            return;
        }
        driver.wantWrite(false);
        while (driver != null) {
            HandshakeStatus hs = engine.getHandshakeStatus();
            switch (hs) {
                case NEED_TASK -> {
                    runTasksOffLoop();
                    return;
                }
                case NEED_WRAP -> {
                    SSLEngineResult r = tls.wrap(TlsTransport.EMPTY);
                    if (!tls.flushPending()) {
                        driver.wantWrite(true);
                        return;
                    }
                    driver.wantWrite(false);
                    if (r.getStatus() == SSLEngineResult.Status.CLOSED) {
                        finish(new TlsClosedException(owner + ": SSL connection closed during the handshake"),
                                IoStatus.EOF);
                        return;
                    }
                }
                case NEED_UNWRAP, NEED_UNWRAP_AGAIN -> {
                    SSLEngineResult r = tls.unwrapOnce();
                    switch (r.getStatus()) {
                        case BUFFER_UNDERFLOW -> {
                            int n = tls.readCiphertext();
                            if (n < 0) {
                                finish(new TlsClosedException(owner
                                        + ": SSL connection closed during the handshake"), IoStatus.EOF);
                                return;
                            }
                            if (n == 0) {
                                driver.wantRead(true);
                                return;
                            }
                        }
                        case CLOSED -> {
                            finish(new TlsClosedException(owner + ": SSL connection closed during the handshake"),
                                    IoStatus.EOF);
                            return;
                        }
                        default -> {
                        }
                    }
                }
                default -> {
                    if (!tls.flushPending()) {
                        driver.wantWrite(true);
                        return;
                    }
                    finish(null, IoStatus.OK);
                    return;
                }
            }
        }
    }

    private void stepDetach() throws IOException {
        while (!engine.isOutboundDone()) {
            SSLEngineResult r = tls.wrap(TlsTransport.EMPTY);
            if (r.bytesProduced() == 0) {
                break;
            }
        }
        if (!tls.flushPending()) {
            driver.wantWrite(true);
            return;
        }
        driver.wantWrite(false);
        // Wait for the peer's close_notify: what comes after it is plain traffic and must not be unwrapped.
        while (!engine.isInboundDone()) {
            SSLEngineResult r = tls.unwrapOnce();
            if (r.getStatus() == SSLEngineResult.Status.CLOSED || engine.isInboundDone()) {
                break;
            }
            if (r.getStatus() == SSLEngineResult.Status.BUFFER_UNDERFLOW
                    || (r.bytesConsumed() == 0 && r.bytesProduced() == 0)) {
                int n = tls.readCiphertext();
                if (n < 0) {
                    tls.inboundClosed();
                    break;
                }
                if (n == 0) {
                    driver.wantRead(true);
                    return;
                }
            }
        }
        finish(null, IoStatus.OK);
    }

    /**
     * After a failed handshake the engine holds a fatal alert: send it (as far as the socket takes it now), so the
     * peer learns why instead of seeing the connection just close.
     */
    private void sendAlertQuietly() {
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                SSLEngineResult r = tls.wrap(TlsTransport.EMPTY);
                if (r.bytesProduced() == 0) {
                    break;
                }
            }
            tls.flushPending();
        } catch (IOException | RuntimeException ignored) {
            // Best effort: the connection is failing anyway.
        }
    }

    private void runTasksOffLoop() {
        tasksRunning = true;
        driver.wantRead(false);
        driver.wantWrite(false);
        tls.runDelegatedTasksOffLoop(() -> {
            tasksRunning = false;
            step();
        });
    }

    private void finish(Throwable failure, IoStatus status) {
        if (failure == null && !detaching) {
            tls.established();
        }
        TlsTransport.Driver d = driver;
        if (d == null) {
            return;
        }
        driver = null;
        if (timer != null) {
            loop.deadlines().cancel(timer);
            timer = null;
        }
        d.wantRead(false);
        d.wantWrite(false);
        d.finished(failure, status);
    }

    /** The handshake or detach timeout. */
    private final class Timer extends DeadlineQueue.Entry {
        @Override
        protected void expired(long now) {
            if (timer == this && driver != null) {
                timer = null;
                finish(new TlsHandshakeTimeoutException(owner + ": " + (detaching ? "TLS detach" : "Handshake")
                        + " timed out"), IoStatus.TIMEOUT);
            }
        }
    }
}
