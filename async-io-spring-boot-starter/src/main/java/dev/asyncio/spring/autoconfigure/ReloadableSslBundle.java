package dev.asyncio.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ssl.SwappableSslContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.SslOptions;
import org.springframework.core.log.LogMessage;

/**
 * A Spring Boot SSL bundle as a handle's or a client's TLS uses it: found by the name its {@code tls.bundle} property
 * gives (a missing one fails start-up naming that property), its TLS context swapped in place when Boot reloads the
 * bundle, so new connections take the new certificate, and the bundle's current protocols and ciphers applied to each
 * new engine.
 *
 * <p>Made while the context refreshes; the update handler runs on Boot's file-watcher thread, {@link #applyTo} on the
 * loop thread that makes an engine.
 */
final class ReloadableSslBundle {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ReloadableSslBundle.class);

    private final SwappableSslContext context;

    private final AtomicReference<SslOptions> options;

    private ReloadableSslBundle(SwappableSslContext context, SslOptions options) {
        this.context = context;
        this.options = new AtomicReference<>(options);
    }

    /**
     * @param prefix the TLS property prefix, e.g. {@code async-io.handles.echo.tls}
     * @param bundleName the value of {@code <prefix>.bundle}
     * @param bundles Boot's bundles, {@code null} when the context has none
     * @return the bundle of that name
     * @throws AsyncIoConfigurationException naming {@code <prefix>.bundle} when there are no bundles or no such one
     */
    static SslBundle find(String prefix, String bundleName, @Nullable SslBundles bundles) {
        if (bundles == null) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "needs Spring Boot's SSL bundles, but the context has no SslBundles bean",
                    "Keep SslAutoConfiguration enabled, or remove " + prefix + ".bundle.");
        }
        try {
            return bundles.getBundle(bundleName);
        }
        catch (NoSuchSslBundleException ex) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName, "names no SSL bundle",
                    "Define it under spring.ssl.bundle.jks." + bundleName + " or spring.ssl.bundle.pem." + bundleName
                            + ", or fix the name.");
        }
    }

    /**
     * Makes the bundle's TLS context and follows the bundle's reloads.
     *
     * @param owner who uses it, for log lines, e.g. {@code async-io handle 'echo'}
     * @param prefix the TLS property prefix
     * @param bundleName the bundle's name
     * @param bundle the bundle, from {@link #find}
     * @param bundles where reloads are announced
     * @param storesToCheck what the start-up error tells to check, e.g. {@code key store, key alias}
     * @return the bundle, reloadable
     * @throws AsyncIoConfigurationException naming {@code <prefix>.bundle} when the bundle cannot make a TLS context
     */
    static ReloadableSslBundle of(String owner, String prefix, String bundleName, SslBundle bundle,
            SslBundles bundles, String storesToCheck) {
        SSLContext initial;
        try {
            initial = bundle.createSslContext();
        }
        catch (RuntimeException ex) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "cannot make a TLS context: " + ex.getMessage(),
                    "Check the " + storesToCheck + " and passwords of SSL bundle '" + bundleName + "'.");
        }
        ReloadableSslBundle reloadable = new ReloadableSslBundle(SwappableSslContext.of(initial), bundle.getOptions());
        bundles.addBundleUpdateHandler(bundleName, (updated) -> {
            try {
                reloadable.context.swap(updated.createSslContext());
                reloadable.options.set(updated.getOptions());
                LOGGER.info(LogMessage.of(() -> owner + " uses the reloaded SSL bundle '" + bundleName
                        + "' for new connections"));
            }
            catch (RuntimeException ex) {
                LOGGER.warn(owner + " keeps its certificate: the reloaded SSL bundle '" + bundleName
                        + "' cannot make a TLS context", ex);
            }
        });
        return reloadable;
    }

    /** @return the TLS context, swapped on each reload */
    SwappableSslContext context() {
        return this.context;
    }

    /**
     * Loop thread, for each new engine: the current bundle's protocols and ciphers.
     *
     * @param params the engine's parameters
     */
    void applyTo(SSLParameters params) {
        SslOptions current = this.options.get();
        if (current.getEnabledProtocols() != null) {
            params.setProtocols(current.getEnabledProtocols());
        }
        if (current.getCiphers() != null) {
            params.setCipherSuites(current.getCiphers());
        }
    }
}
