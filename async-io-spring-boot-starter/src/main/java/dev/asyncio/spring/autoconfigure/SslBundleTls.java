package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ssl.SwappableSslContext;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.log.LogMessage;

/**
 * A handle's TLS from its Spring Boot SSL bundle ({@code async-io.handles.<name>.tls.*}): key and trust material,
 * the bundle's protocols and ciphers, client authentication. The handle's {@link TlsOptions} hold a
 * {@link SwappableSslContext}; when the bundle is reloaded ({@code spring.ssl.bundle.*.reload-on-update}) the context
 * underneath is swapped, so new connections — and a re-opened handle — use the new certificate while established ones
 * keep theirs.
 *
 * <p>Used while the context refreshes; the update handler runs on Boot's file-watcher thread.
 */
final class SslBundleTls {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(SslBundleTls.class);

    private SslBundleTls() {
    }

    /**
     * @param handleName the handle, for log lines
     * @param prefix the TLS property prefix, e.g. {@code async-io.handles.echo.tls}
     * @param props the TLS properties
     * @param bundles Boot's bundles, {@code null} when the context has none
     * @return the TLS options, or {@code null} for plain TCP (no bundle set)
     * @throws AsyncIoConfigurationException naming the property when the bundle is missing or unusable
     */
    static @Nullable TlsOptions tls(String handleName, String prefix, AsyncIoProperties.Tls props,
            @Nullable SslBundles bundles) {
        HandlePropertyChecks.notNegative(prefix + ".max-renegotiations", props.getMaxRenegotiations());
        HandlePropertyChecks.positive(prefix + ".max-concurrent-handshakes", props.getMaxConcurrentHandshakes());
        HandlePropertyChecks.notNegative(prefix + ".max-queued-handshakes", props.getMaxQueuedHandshakes());
        String bundleName = props.getBundle();
        if (bundleName == null || bundleName.isBlank()) {
            return null;
        }
        if (bundles == null) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "needs Spring Boot's SSL bundles, but the context has no SslBundles bean",
                    "Keep SslAutoConfiguration enabled, or remove " + prefix + ".bundle.");
        }
        SslBundle bundle;
        try {
            bundle = bundles.getBundle(bundleName);
        }
        catch (NoSuchSslBundleException ex) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName, "names no SSL bundle",
                    "Define it under spring.ssl.bundle.jks." + bundleName + " or spring.ssl.bundle.pem." + bundleName
                            + ", or fix the name.");
        }
        Duration handshakeTimeout = HandlePropertyChecks.positiveOrUnset(prefix + ".handshake-timeout",
                props.getHandshakeTimeout());
        SwappableSslContext context = SwappableSslContext.of(sslContext(prefix, bundleName, bundle));
        AtomicReference<SslOptions> options = new AtomicReference<>(bundle.getOptions());
        AsyncIoProperties.ClientAuth clientAuth = props.getClientAuth();
        bundles.addBundleUpdateHandler(bundleName, (updated) -> {
            try {
                context.swap(updated.createSslContext());
                options.set(updated.getOptions());
                LOGGER.info(LogMessage.of(() -> "async-io handle '" + handleName + "' uses the reloaded SSL bundle '"
                        + bundleName + "' for new connections"));
            }
            catch (RuntimeException ex) {
                LOGGER.warn("async-io handle '" + handleName + "' keeps its certificate: the reloaded "
                        + "SSL bundle '" + bundleName + "' cannot make a TLS context", ex);
            }
        });
        return TlsOptions.builder()
            .context(context)
            .handshakeTimeout(handshakeTimeout)
            .maxRenegotiations(props.getMaxRenegotiations())
            .maxConcurrentHandshakes(props.getMaxConcurrentHandshakes())
            .maxQueuedHandshakes(props.getMaxQueuedHandshakes())
            .parametersConfigurer((params) -> configure(params, options.get(), clientAuth))
            .build();
    }

    private static SSLContext sslContext(String prefix, String bundleName, SslBundle bundle) {
        try {
            return bundle.createSslContext();
        }
        catch (RuntimeException ex) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "cannot make a TLS context: " + ex.getMessage(),
                    "Check the key store, key alias and passwords of SSL bundle '" + bundleName + "'.");
        }
    }

    /** Loop thread, for each new engine: the current bundle's protocols and ciphers, and the client-auth mode. */
    private static void configure(SSLParameters params, SslOptions options, AsyncIoProperties.ClientAuth clientAuth) {
        if (options.getEnabledProtocols() != null) {
            params.setProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            params.setCipherSuites(options.getCiphers());
        }
        switch (clientAuth) {
            case NEED -> params.setNeedClientAuth(true);
            case WANT -> params.setWantClientAuth(true);
            case NONE -> {
                // The JDK's server default: no certificate requested.
            }
        }
    }
}
