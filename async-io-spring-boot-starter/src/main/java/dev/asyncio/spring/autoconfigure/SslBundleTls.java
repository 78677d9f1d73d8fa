package dev.asyncio.spring.autoconfigure;

import java.time.Duration;

import javax.net.ssl.SSLParameters;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ssl.SwappableSslContext;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * A handle's TLS from its Spring Boot SSL bundle ({@code async-io.handles.<name>.tls.*}): key and trust material,
 * the bundle's protocols and ciphers, client authentication. The handle's {@link TlsOptions} hold a
 * {@link SwappableSslContext}; when the bundle is reloaded ({@code spring.ssl.bundle.*.reload-on-update}) the context
 * underneath is swapped, so new connections — and a re-opened handle — use the new certificate while established ones
 * keep theirs.
 *
 * <p>Used while the context refreshes; the bundle and its reloads are {@link ReloadableSslBundle}'s.
 */
final class SslBundleTls {

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
        SslBundle bundle = ReloadableSslBundle.find(prefix, bundleName, bundles);
        Duration handshakeTimeout = HandlePropertyChecks.positiveOrUnset(prefix + ".handshake-timeout",
                props.getHandshakeTimeout());
        ReloadableSslBundle reloadable = ReloadableSslBundle.of("async-io handle '" + handleName + "'", prefix,
                bundleName, bundle, bundles, "key store, key alias");
        AsyncIoProperties.ClientAuth clientAuth = props.getClientAuth();
        return TlsOptions.builder()
            .context(reloadable.context())
            .handshakeTimeout(handshakeTimeout)
            .maxRenegotiations(props.getMaxRenegotiations())
            .maxConcurrentHandshakes(props.getMaxConcurrentHandshakes())
            .maxQueuedHandshakes(props.getMaxQueuedHandshakes())
            .parametersConfigurer((params) -> configure(params, reloadable, clientAuth))
            .build();
    }

    /** Loop thread, for each new engine: the current bundle's protocols and ciphers, and the client-auth mode. */
    private static void configure(SSLParameters params, ReloadableSslBundle bundle,
            AsyncIoProperties.ClientAuth clientAuth) {
        bundle.applyTo(params);
        switch (clientAuth) {
            case NEED -> params.setNeedClientAuth(true);
            case WANT -> params.setWantClientAuth(true);
            case NONE -> {
                // The JDK's server default: no certificate requested.
            }
        }
    }
}
