package dev.asyncio.core.internal.transport;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.internal.net.HostNames;

import java.security.NoSuchAlgorithmException;
import java.util.List;
import java.util.Objects;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/** Makes the {@link SSLEngine} of a TLS attach from {@link TlsOptions}. */
public final class TlsEngines {

    private TlsEngines() {
    }

    /**
     * @param options the TLS options
     * @return the context engines come from: {@link TlsOptions#context()}, or the JDK's default when that is null
     * @throws IllegalStateException if the JDK has no default
     */
    public static SSLContext context(TlsOptions options) {
        if (options.context() != null) {
            return options.context();
        }
        try {
            return SSLContext.getDefault();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("The JDK has no default SSLContext", e);
        }
    }

    /**
     * Makes and configures an engine for {@code side}; the client side gets SNI and host name verification.
     *
     * @param options context, SNI name, verification, configurers
     * @param side the side the engine plays
     * @param peerHost the peer's host name, or {@code null}
     * @param peerPort the peer's port
     * @return the engine
     * @throws IllegalStateException if no context is given and the JDK has no default
     */
    public static SSLEngine create(TlsOptions options, TlsSide side, String peerHost, int peerPort) {
        SSLContext ctx = context(options);
        boolean client = side == TlsSide.CLIENT;
        // A client with verification on and no host name at all fails at certificate check time (the JDK's
        // "Hostname or IP address is undefined"): the safe answer, so it is left to the engine.
        String host = peerHost != null ? peerHost : options.sniHostName();
        SSLEngine engine = client && host != null ? ctx.createSSLEngine(host, peerPort) : ctx.createSSLEngine();
        if (side != TlsSide.BOTH) {
            engine.setUseClientMode(client);
        }
        SSLParameters params = engine.getSSLParameters();
        if (client) {
            if (options.hostnameVerification()) {
                params.setEndpointIdentificationAlgorithm("HTTPS");
            }
            String sni = options.sniHostName() != null ? options.sniHostName() : peerHost;
            if (sni != null && HostNames.literal(sni) == null) {
                params.setServerNames(List.of(new SNIHostName(sni)));
            }
        }
        if (options.parametersConfigurer() != null) {
            options.parametersConfigurer().accept(params);
        }
        engine.setSSLParameters(params);
        if (options.engineConfigurer() != null) {
            options.engineConfigurer().accept(engine);
        }
        return Objects.requireNonNull(engine);
    }
}
