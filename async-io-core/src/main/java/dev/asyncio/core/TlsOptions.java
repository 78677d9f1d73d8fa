package dev.asyncio.core;

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

    private final SSLContext context;
    private final TlsSide side;
    private final Duration handshakeTimeout;
    private final String sniHostName;
    private final boolean hostnameVerification;
    private final Consumer<SSLParameters> parametersConfigurer;
    private final Consumer<SSLEngine> engineConfigurer;

    private TlsOptions(Builder b) {
        this.context = b.context;
        this.side = b.side;
        this.handshakeTimeout = b.handshakeTimeout;
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
        b.sniHostName = sniHostName;
        b.hostnameVerification = hostnameVerification;
        b.parametersConfigurer = parametersConfigurer;
        b.engineConfigurer = engineConfigurer;
        return b;
    }

    /** @return the context engines come from; {@code null} = {@link SSLContext#getDefault()} */
    public SSLContext context() {
        return context;
    }

    /** @return the side; {@code null} = what the call implies */
    public TlsSide side() {
        return side;
    }

    /** @return how long a handshake may take; {@code null} = no limit */
    public Duration handshakeTimeout() {
        return handshakeTimeout;
    }

    /** @return the SNI host name a client sends; {@code null} = the connect host when it is a name */
    public String sniHostName() {
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
        private String sniHostName;
        private boolean hostnameVerification = true;
        private Consumer<SSLParameters> parametersConfigurer;
        private Consumer<SSLEngine> engineConfigurer;

        private Builder() {
        }

        /** @param context where engines come from (LispWorks {@code :ssl-ctx}); {@code null} = JDK default @return this */
        public Builder context(SSLContext context) {
            this.context = context;
            return this;
        }

        /** @param side the state's side (LispWorks {@code :ssl-side}) @return this */
        public Builder side(TlsSide side) {
            this.side = side;
            return this;
        }

        /** @param handshakeTimeout positive, or {@code null} for none (LispWorks {@code :handshake-timeout}) @return this */
        public Builder handshakeTimeout(Duration handshakeTimeout) {
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

    /** @return the context engines come from: {@link #context()}, or the JDK's default when that is null */
    SSLContext effectiveContext() {
        if (context != null) {
            return context;
        }
        try {
            return SSLContext.getDefault();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no default SSLContext", e);
        }
    }

    /** Makes and configures an engine for {@code side}; the client side gets SNI and host name verification. */
    SSLEngine newEngine(TlsSide effectiveSide, String peerHost, int peerPort) {
        SSLContext ctx = effectiveContext();
        boolean client = effectiveSide == TlsSide.CLIENT;
        // A client with verification on and no host name at all fails at certificate check time (the JDK's
        // "Hostname or IP address is undefined"): the safe answer, so it is left to the engine.
        String host = peerHost != null ? peerHost : sniHostName;
        SSLEngine engine = client && host != null ? ctx.createSSLEngine(host, peerPort)
                : ctx.createSSLEngine();
        if (effectiveSide != TlsSide.BOTH) {
            engine.setUseClientMode(client);
        }
        SSLParameters params = engine.getSSLParameters();
        if (client) {
            if (hostnameVerification) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            String sni = sniHostName != null ? sniHostName : peerHost;
            if (sni != null && HostNames.literal(sni) == null) {
                params.setServerNames(java.util.List.of(new javax.net.ssl.SNIHostName(sni)));
            }
        }
        if (parametersConfigurer != null) {
            parametersConfigurer.accept(params);
        }
        engine.setSSLParameters(params);
        if (engineConfigurer != null) {
            engineConfigurer.accept(engine);
        }
        return Objects.requireNonNull(engine);
    }
}
