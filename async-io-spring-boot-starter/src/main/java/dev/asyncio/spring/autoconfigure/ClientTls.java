package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ssl.SwappableSslContext;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;

/**
 * A client's TLS from its Spring Boot SSL bundle ({@code async-io.clients.<name>.tls.*}): the bundle's trust store
 * checks the server, its key store (if any) is the client certificate for mutual TLS, its protocols and ciphers
 * apply; the SNI name and host name verification come from {@code server-name} and {@code verify-hostname}. A
 * reloaded bundle is used by new connections (as for handles, through a {@link SwappableSslContext}).
 *
 * <p>Used while the context refreshes; the bundle and its reloads are {@link ReloadableSslBundle}'s.
 */
final class ClientTls {

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
        SslBundle bundle = ReloadableSslBundle.find(prefix, bundleName, bundles);
        ReloadableSslBundle reloadable = ReloadableSslBundle.of("async-io client '" + clientName + "'", prefix,
                bundleName, bundle, bundles, "trust store, key store");
        TlsOptions.Builder builder = TlsOptions.builder()
            .context(reloadable.context())
            .side(TlsSide.CLIENT)
            .handshakeTimeout(HandlePropertyChecks.positiveOrUnset(prefix + ".handshake-timeout",
                    props.getHandshakeTimeout()))
            .hostnameVerification(props.isVerifyHostname())
            .parametersConfigurer(reloadable::applyTo);
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
}
