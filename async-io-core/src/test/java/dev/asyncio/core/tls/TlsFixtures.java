package dev.asyncio.core.tls;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The test key material of {@code src/test/resources/tls} (see its README) as {@link SSLContext}s: servers present a
 * key store, clients trust {@code truststore.p12}.
 */
final class TlsFixtures {

    static final char[] PASSWORD = "changeit".toCharArray();

    private TlsFixtures() {
    }

    /** @return a server context presenting the {@code localhost} certificate that {@link #trustingClient()} trusts */
    static SSLContext server() {
        return context("server.p12", null);
    }

    /** @return a server context presenting a {@code localhost} certificate that nobody trusts */
    static SSLContext untrustedServer() {
        return context("untrusted.p12", null);
    }

    /** @return a server context presenting a trusted certificate for {@code wrong.example} only */
    static SSLContext wrongNameServer() {
        return context("wrongname.p12", null);
    }

    /** @return a client context that trusts the test certificates (and nothing else) */
    static SSLContext trustingClient() {
        return context(null, "truststore.p12");
    }

    /** @return a context with the {@code localhost} key that also trusts the test certificates: for mutual TLS */
    static SSLContext keyAndTrust() {
        return context("server.p12", "truststore.p12");
    }

    /** @return the file of a test resource under {@code tls/} */
    static Path resource(String name) {
        try {
            return Path.of(Objects.requireNonNull(TlsFixtures.class.getResource("/tls/" + name),
                    "missing test resource tls/" + name).toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static SSLContext context(String keyStore, String trustStore) {
        try {
            KeyManagerFactory kmf = null;
            TrustManagerFactory tmf = null;
            if (keyStore != null) {
                kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                kmf.init(load(keyStore), PASSWORD);
            }
            if (trustStore != null) {
                tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
                tmf.init(load(trustStore));
            }
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf == null ? null : tmf.getTrustManagers(), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the test key material " + keyStore + "/" + trustStore, e);
        }
    }

    private static KeyStore load(String name) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Objects.requireNonNull(TlsFixtures.class.getResourceAsStream("/tls/" + name),
                "missing test resource tls/" + name)) {
            ks.load(in, PASSWORD);
        }
        return ks;
    }
}
