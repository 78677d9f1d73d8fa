package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.loop.Timeouts;

import java.time.Duration;
import java.util.Objects;
import java.util.function.Consumer;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * TLS on a state, on {@link WaitStateCollection#connectTcp} and on {@link WaitStateCollection#acceptTcpConnections}:
 * the LispWorks keywords {@code ssl-ctx}, {@code ssl-side}, {@code ctx-configure-callback},
 * {@code ssl-configure-callback}, {@code handshake-timeout} and {@code tlsext-host-name}, on
 * {@link javax.net.ssl.SSLEngine}.
 *
 * <p>Immutable. Defaults: the JDK's default {@link SSLContext} (its trust store, no key), the side the call implies
 * (client for connect, server for accept and attach), a 10 s handshake timeout (as Netty), host name verification
 * on for clients, SNI from the connect host when it is a name.
 */
public final class TlsOptions {

    /** Default {@link #handshakeTimeout()}: 10 s, as Netty. */
    public static final Duration DEFAULT_HANDSHAKE_TIMEOUT = Duration.ofSeconds(10);
    /** Default {@link #maxConcurrentHandshakes()}: see there. */
    public static final int DEFAULT_MAX_CONCURRENT_HANDSHAKES = 256;
    /** Default {@link #maxQueuedHandshakes()}: see there. */
    public static final int DEFAULT_MAX_QUEUED_HANDSHAKES = 1024;

    private final SSLContext context;
    private final TlsSide side;
    private final Duration handshakeTimeout;
    private final int maxRenegotiations;
    private final int maxConcurrentHandshakes;
    private final int maxQueuedHandshakes;
    private final String sniHostName;
    private final boolean hostnameVerification;
    private final Consumer<SSLParameters> parametersConfigurer;
    private final Consumer<SSLEngine> engineConfigurer;

    private TlsOptions(Builder b) {
        this.context = b.context;
        this.side = b.side;
        this.handshakeTimeout = b.handshakeTimeout;
        this.maxRenegotiations = b.maxRenegotiations;
        this.maxConcurrentHandshakes = b.maxConcurrentHandshakes;
        this.maxQueuedHandshakes = b.maxQueuedHandshakes;
        this.sniHostName = b.sniHostName;
        this.hostnameVerification = b.hostnameVerification;
        this.parametersConfigurer = b.parametersConfigurer;
        this.engineConfigurer = b.engineConfigurer;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return a builder that starts from these options */
    public Builder toBuilder() {
        Builder b = new Builder();
        b.context = context;
        b.side = side;
        b.handshakeTimeout = handshakeTimeout;
        b.maxRenegotiations = maxRenegotiations;
        b.maxConcurrentHandshakes = maxConcurrentHandshakes;
        b.maxQueuedHandshakes = maxQueuedHandshakes;
        b.sniHostName = sniHostName;
        b.hostnameVerification = hostnameVerification;
        b.parametersConfigurer = parametersConfigurer;
        b.engineConfigurer = engineConfigurer;
        return b;
    }

    /** @return the context engines come from; {@code null} = {@link SSLContext#getDefault()} */
    public @Nullable SSLContext context() {
        return context;
    }

    /** @return the side; {@code null} = what the call implies */
    public @Nullable TlsSide side() {
        return side;
    }

    /** @return how long a handshake may take; {@code null} = no limit */
    public @Nullable Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /**
     * @return how many renegotiations a TLS 1.2 (or older) client may start on one connection of a server-side
     *         state; the next one fails the read with {@link IoStatus#ERROR} and an {@link javax.net.ssl.SSLException}
     *         saying it was refused. Default 0: refused, since each one costs the server a handshake's CPU (the
     *         "client-initiated renegotiation" denial of service). TLS 1.3 has no renegotiation. Beyond LispWorks.
     */
    public int maxRenegotiations() {
        return maxRenegotiations;
    }

    /**
     * @return how many TLS handshakes of an accepting handle's connections run at once. A connection takes a slot
     *         once its client has sent its first bytes (a silent connection takes none: it only runs into the
     *         handshake timeout) and gives it back when its handshake ends; the next connections wait for a slot
     *         in that order, their socket unread and no engine made for them. Default
     *         {@value #DEFAULT_MAX_CONCURRENT_HANDSHAKES}: it bounds the engines of a handshake storm (about 60 KiB
     *         each) and the work queued for the JDK's TLS task threads, so that admitted handshakes finish instead of
     *         all crawling into their timeout, and it is high enough not to cap a busy server whose clients are far
     *         away (a handshake holds its slot for about two round trips: 256 slots at 0.5 s each are 500
     *         handshakes a second per handle). Lower it to shed a storm sooner; a client that sends a few bytes and
     *         stalls holds a slot until its handshake timeout. Counted per handle, across its {@code spreadOver}
     *         collections. Only an accepting handle's options use it (not {@code connectTcp} or
     *         {@code attachTls}). Beyond LispWorks.
     */
    public int maxConcurrentHandshakes() {
        return maxConcurrentHandshakes;
    }

    /**
     * @return how many connections of an accepting handle may wait for a handshake slot
     *         ({@link #maxConcurrentHandshakes()}); one more is refused: closed at once and counted as rejected
     *         ({@link HandleStatistics#rejected()}). The {@link #handshakeTimeout()} counts from the accept, time
     *         silent or queued included: a connection whose time runs out before its handshake starts fails with a
     *         {@link TlsHandshakeTimeoutException} (the handle's TLS error callback is told, the state's read
     *         status is {@link IoStatus#TIMEOUT}, the handle counts a timeout) and is closed. Default
     *         {@value #DEFAULT_MAX_QUEUED_HANDSHAKES}; 0 refuses every connection that finds all slots taken.
     *         Beyond LispWorks.
     */
    public int maxQueuedHandshakes() {
        return maxQueuedHandshakes;
    }

    /** @return the SNI host name a client sends; {@code null} = the connect host when it is a name */
    public @Nullable String sniHostName() {
        return sniHostName;
    }

    /** @return whether a client checks that the server's certificate names the host it connected to */
    public boolean hostnameVerification() {
        return hostnameVerification;
    }

    /** @return called with the engine's parameters before the handshake (protocols, ciphers, client auth) */
    public Consumer<SSLParameters> parametersConfigurer() {
        return parametersConfigurer;
    }

    /** @return called with the engine before the handshake (LispWorks {@code ssl-configure-callback}) */
    public Consumer<SSLEngine> engineConfigurer() {
        return engineConfigurer;
    }

    /** Builds {@link TlsOptions}. */
    public static final class Builder {
        private SSLContext context;
        private TlsSide side;
        private Duration handshakeTimeout = DEFAULT_HANDSHAKE_TIMEOUT;
        private int maxRenegotiations;
        private int maxConcurrentHandshakes = DEFAULT_MAX_CONCURRENT_HANDSHAKES;
        private int maxQueuedHandshakes = DEFAULT_MAX_QUEUED_HANDSHAKES;
        private String sniHostName;
        private boolean hostnameVerification = true;
        private Consumer<SSLParameters> parametersConfigurer;
        private Consumer<SSLEngine> engineConfigurer;

        private Builder() {
        }

        /** @param context where engines come from (LispWorks {@code :ssl-ctx}); {@code null} = JDK default @return this */
        public Builder context(@Nullable SSLContext context) {
            this.context = context;
            return this;
        }

        /** @param side the state's side (LispWorks {@code :ssl-side}) @return this */
        public Builder side(TlsSide side) {
            this.side = side;
            return this;
        }

        /**
         * @param maxRenegotiations client-initiated renegotiations allowed per connection, 0 (the default) or more
         * @return this
         */
        public Builder maxRenegotiations(int maxRenegotiations) {
            if (maxRenegotiations < 0) {
                throw new IllegalArgumentException("maxRenegotiations must be 0 or more, got " + maxRenegotiations);
            }
            this.maxRenegotiations = maxRenegotiations;
            return this;
        }

        /**
         * @param maxConcurrentHandshakes handshakes of an accepting handle that run at once, 1 or more (see
         *        {@link TlsOptions#maxConcurrentHandshakes()})
         * @return this
         */
        public Builder maxConcurrentHandshakes(int maxConcurrentHandshakes) {
            if (maxConcurrentHandshakes < 1) {
                throw new IllegalArgumentException("maxConcurrentHandshakes must be 1 or more, got "
                        + maxConcurrentHandshakes);
            }
            this.maxConcurrentHandshakes = maxConcurrentHandshakes;
            return this;
        }

        /**
         * @param maxQueuedHandshakes connections of an accepting handle that may wait for a handshake slot, 0 or
         *        more (see {@link TlsOptions#maxQueuedHandshakes()})
         * @return this
         */
        public Builder maxQueuedHandshakes(int maxQueuedHandshakes) {
            if (maxQueuedHandshakes < 0) {
                throw new IllegalArgumentException("maxQueuedHandshakes must be 0 or more, got "
                        + maxQueuedHandshakes);
            }
            this.maxQueuedHandshakes = maxQueuedHandshakes;
            return this;
        }

        /** @param handshakeTimeout positive, or {@code null} for none (LispWorks {@code :handshake-timeout}) @return this */
        public Builder handshakeTimeout(@Nullable Duration handshakeTimeout) {
            this.handshakeTimeout = Timeouts.check("handshakeTimeout", handshakeTimeout);
            return this;
        }

        /** @param sniHostName the SNI name a client sends (LispWorks {@code :tlsext-host-name}) @return this */
        public Builder sniHostName(String sniHostName) {
            this.sniHostName = sniHostName;
            return this;
        }

        /** @param on whether a client verifies the server's host name (default on) @return this */
        public Builder hostnameVerification(boolean on) {
            this.hostnameVerification = on;
            return this;
        }

        /** @param configurer adjusts the engine's {@link SSLParameters} (LispWorks {@code ctx-configure-callback}) @return this */
        public Builder parametersConfigurer(Consumer<SSLParameters> configurer) {
            this.parametersConfigurer = configurer;
            return this;
        }

        /** @param configurer adjusts the engine (LispWorks {@code ssl-configure-callback}) @return this */
        public Builder engineConfigurer(Consumer<SSLEngine> configurer) {
            this.engineConfigurer = configurer;
            return this;
        }

        /** @return the options */
        public TlsOptions build() {
            return new TlsOptions(this);
        }
    }
}
