package dev.asyncio.bench.server;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The TLS material of the {@code async-io-tls} file server and its client: one PKCS#12 key store (password
 * {@value #PASSWORD}) that {@code run.sh} makes with {@code keytool} in the build directory. The server presents
 * its key; the client trusts the certificate of the same store, so nothing outside the benchmark is trusted.
 */
public final class BenchTls {

    /** The key store's password (benchmark material on loopback only, never a secret). */
    public static final String PASSWORD = "changeit";

    private BenchTls() {
    }

    /**
     * @param keyStore the PKCS#12 store
     * @return a server context presenting its key
     * @throws IOException when the store cannot be read
     * @throws GeneralSecurityException when it cannot be used
     */
    public static SSLContext server(Path keyStore) throws IOException, GeneralSecurityException {
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(load(keyStore), PASSWORD.toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }

    /**
     * @param keyStore the PKCS#12 store the server uses
     * @return a client context trusting the store's certificate and nothing else
     * @throws IOException when the store cannot be read
     * @throws GeneralSecurityException when it cannot be used
     */
    public static SSLContext client(Path keyStore) throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(load(keyStore)); // the certificate of a key entry counts as trusted
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    private static KeyStore load(Path path) throws IOException, GeneralSecurityException {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(path)) {
            ks.load(in, PASSWORD.toCharArray());
        }
        return ks;
    }
}
