package dev.asyncio.core.testing;

import java.io.InputStream;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Objects;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedTrustManager;

/**
 * The test key material of {@code src/test/resources/tls} (see its README) as {@link SSLContext}s: servers present a
 * key store, clients trust {@code truststore.p12}. Public so that tests of any package, the engine's internal ones
 * too, load it the one way instead of copying the loading code.
 */
public final class TlsFixtures {

    private static final char[] PASSWORD = "changeit".toCharArray();

    private TlsFixtures() {
    }

    /** @return a server context presenting the {@code localhost} certificate that {@link #trustingClient()} trusts */
    public static SSLContext server() {
        return context("server.p12", null);
    }

    /** @return a server context presenting a {@code localhost} certificate that nobody trusts */
    public static SSLContext untrustedServer() {
        return context("untrusted.p12", null);
    }

    /** @return a server context presenting a trusted certificate for {@code wrong.example} only */
    public static SSLContext wrongNameServer() {
        return context("wrongname.p12", null);
    }

    /** @return a client context that trusts the test certificates (and nothing else) */
    public static SSLContext trustingClient() {
        return context(null, "truststore.p12");
    }

    /** @return a context with the {@code localhost} key that also trusts the test certificates: for mutual TLS */
    public static SSLContext keyAndTrust() {
        return context("server.p12", "truststore.p12");
    }

    /** @param name a file name under {@code src/test/resources/tls} @return that file */
    public static Path resource(String name) {
        java.net.URL url = Objects.requireNonNull(TlsFixtures.class.getResource("/tls/" + name),
                "missing test resource tls/" + name);
        try {
            if ("jar".equals(url.getProtocol())) {
                // async-io-native runs these tests from the core's test jar: tools such as openssl need a file.
                Path copy = java.nio.file.Files.createTempFile("tls-", "-" + name);
                copy.toFile().deleteOnExit();
                try (java.io.InputStream in = url.openStream()) {
                    java.nio.file.Files.copy(in, copy, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
                }
                return copy;
            }
            return Path.of(url.toURI());
        } catch (URISyntaxException | java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** @return the key managers of the {@code localhost} key, for a test that builds its own context around them */
    public static KeyManager[] serverKeyManagers() throws Exception {
        return keyManagers("server.p12");
    }

    /** @return the trust manager that trusts the test certificates, for a test that wraps it */
    public static X509ExtendedTrustManager trustManager() throws Exception {
        return (X509ExtendedTrustManager) trustManagers("truststore.p12")[0];
    }

    private static SSLContext context(String keyStore, String trustStore) {
        try {
            SSLContext ctx = SSLContext.getInstance("TLS");
            ctx.init(keyStore == null ? null : keyManagers(keyStore),
                    trustStore == null ? null : trustManagers(trustStore), null);
            return ctx;
        } catch (Exception e) {
            throw new IllegalStateException("Cannot load the test key material " + keyStore + "/" + trustStore, e);
        }
    }

    private static KeyManager[] keyManagers(String keyStore) throws Exception {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore), PASSWORD);
        return kmf.getKeyManagers();
    }

    private static TrustManager[] trustManagers(String trustStore) throws Exception {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(trustStore));
        return tmf.getTrustManagers();
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
