package dev.asyncio.spring.ssl;

import java.security.KeyManagementException;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * An {@link SSLContext} whose engines come from another context that can be swapped at any time: every engine made
 * after {@link #swap} uses the new key and trust material, engines made before keep theirs. An accepting handle holds
 * its TLS options — and so its context — for its whole life; giving it this context is how a Spring Boot SSL bundle
 * reload reaches new connections without re-binding the port.
 *
 * <p>Thread-safe: {@link #swap} may run on any thread (Boot's file watcher) while loop threads make engines.
 * {@code init} is not supported: the delegate is initialized already.
 */
public final class SwappableSslContext extends SSLContext {

    private final AtomicReference<SSLContext> current;

    private SwappableSslContext(AtomicReference<SSLContext> current) {
        super(new Spi(current), current.get().getProvider(), current.get().getProtocol());
        this.current = current;
    }

    /**
     * @param initial the context to delegate to first (initialized)
     * @return a context delegating to {@code initial} until swapped
     */
    public static SwappableSslContext of(SSLContext initial) {
        return new SwappableSslContext(new AtomicReference<>(Objects.requireNonNull(initial, "initial")));
    }

    /** @param next the context new engines come from from now on (initialized) */
    public void swap(SSLContext next) {
        this.current.set(Objects.requireNonNull(next, "next"));
    }

    /** @return the context engines come from now */
    public SSLContext current() {
        return this.current.get();
    }

    /** Delegates every operation to the current context. */
    private static final class Spi extends SSLContextSpi {

        private final AtomicReference<SSLContext> current;

        Spi(AtomicReference<SSLContext> current) {
            this.current = current;
        }

        @Override
        protected void engineInit(KeyManager[] km, TrustManager[] tm, SecureRandom sr) throws KeyManagementException {
            throw new KeyManagementException("A SwappableSslContext is initialized by the context it delegates to");
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            return this.current.get().getSocketFactory();
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            return this.current.get().getServerSocketFactory();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return this.current.get().createSSLEngine();
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return this.current.get().createSSLEngine(host, port);
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return this.current.get().getServerSessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return this.current.get().getClientSessionContext();
        }

        @Override
        protected javax.net.ssl.SSLParameters engineGetDefaultSSLParameters() {
            return this.current.get().getDefaultSSLParameters();
        }

        @Override
        protected javax.net.ssl.SSLParameters engineGetSupportedSSLParameters() {
            return this.current.get().getSupportedSSLParameters();
        }
    }
}
