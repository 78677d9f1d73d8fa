package dev.asyncio.spring.autoconfigure;

import java.util.concurrent.atomic.AtomicReference;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
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
 * A client's TLS from its Spring Boot SSL bundle ({@code async-io.clients.<name>.tls.*}): the bundle's trust store
 * checks the server, its key store (if any) is the client certificate for mutual TLS, its protocols and ciphers
 * apply; the SNI name and host name verification come from {@code server-name} and {@code verify-hostname}. A
 * reloaded bundle is used by new connections (as for handles, through a {@link SwappableSslContext}).
 *
 * <p>Used while the context refreshes; the update handler runs on Boot's file-watcher thread.
 */
final class ClientTls {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ClientTls.class);

    private ClientTls() {
    }

    /**
     * @param clientName the client, for log lines
     * @param prefix the TLS property prefix, e.g. {@code async-io.clients.kv.tls}
     * @param props the TLS properties
     * @param bundles Boot's bundles, {@code null} when the context has none
     * @return the client-side TLS options, or {@code null} for plain TCP (no bundle set)
     * @throws AsyncIoConfigurationException naming the property when a value is unusable
     */
    static @Nullable TlsOptions tls(String clientName, String prefix, ClientProperties.Tls props,
            @Nullable SslBundles bundles) {
        String bundleName = props.getBundle();
        if (bundleName == null || bundleName.isBlank()) {
            if (props.getServerName() != null) {
                throw new AsyncIoConfigurationException(prefix + ".server-name", props.getServerName(),
                        "is set, but " + prefix + ".bundle is not: the client does not use TLS",
                        "Set " + prefix + ".bundle to an SSL bundle, or remove " + prefix + ".server-name.");
            }
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
        SwappableSslContext context = SwappableSslContext.of(sslContext(prefix, bundleName, bundle));
        AtomicReference<SslOptions> options = new AtomicReference<>(bundle.getOptions());
        bundles.addBundleUpdateHandler(bundleName, (updated) -> {
            try {
                context.swap(updated.createSslContext());
                options.set(updated.getOptions());
                LOGGER.info(LogMessage.of(() -> "async-io client '" + clientName + "' uses the reloaded SSL bundle '"
                        + bundleName + "' for new connections"));
            }
            catch (RuntimeException ex) {
                LOGGER.warn("async-io client '" + clientName + "' keeps its certificate: the reloaded SSL bundle '"
                        + bundleName + "' cannot make a TLS context", ex);
            }
        });
        TlsOptions.Builder builder = TlsOptions.builder()
            .context(context)
            .side(TlsSide.CLIENT)
            .handshakeTimeout(HandlePropertyChecks.positiveOrUnset(prefix + ".handshake-timeout",
                    props.getHandshakeTimeout()))
            .hostnameVerification(props.isVerifyHostname())
            .parametersConfigurer((params) -> configure(params, options.get()));
        String serverName = props.getServerName();
        if (serverName != null) {
            if (serverName.isBlank()) {
                throw new AsyncIoConfigurationException(prefix + ".server-name", serverName, "is blank",
                        "Set " + prefix + ".server-name to the server's host name, or remove it.");
            }
            builder.sniHostName(serverName.trim());
        }
        return builder.build();
    }

    private static SSLContext sslContext(String prefix, String bundleName, SslBundle bundle) {
        try {
            return bundle.createSslContext();
        }
        catch (RuntimeException ex) {
            throw new AsyncIoConfigurationException(prefix + ".bundle", bundleName,
                    "cannot make a TLS context: " + ex.getMessage(),
                    "Check the trust store, key store and passwords of SSL bundle '" + bundleName + "'.");
        }
    }

    /** Loop thread, for each new engine: the current bundle's protocols and ciphers. */
    private static void configure(SSLParameters params, SslOptions options) {
        if (options.getEnabledProtocols() != null) {
            params.setProtocols(options.getEnabledProtocols());
        }
        if (options.getCiphers() != null) {
            params.setCipherSuites(options.getCiphers());
        }
    }
}
