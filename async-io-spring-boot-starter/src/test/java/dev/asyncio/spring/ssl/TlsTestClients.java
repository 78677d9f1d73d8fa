package dev.asyncio.spring.ssl;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.cert.X509Certificate;

import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.pem.PemSslStoreBundle;
import org.springframework.boot.ssl.pem.PemSslStoreDetails;

/** TLS clients for the bundle tests: they trust any server, and present the test client certificate or none. */
final class TlsTestClients {

    private TlsTestClients() {
    }

    /** @return a fresh client context (fresh, so that no session is resumed across a reload) */
    static SSLContext client(boolean withCertificate) throws Exception {
        KeyManager[] keys = null;
        if (withCertificate) {
            SslBundle bundle = SslBundle.of(new PemSslStoreBundle(
                    PemSslStoreDetails.forCertificate("classpath:tls/pem/client.crt")
                        .withPrivateKey("classpath:tls/pem/client.key"),
                    null));
            keys = bundle.getManagers().getKeyManagers();
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, new TrustManager[] { new TrustAll() }, null);
        return context;
    }

    /** @return the subject of the server certificate a new connection is shown */
    static String serverSubject(int port) throws Exception {
        try (SSLSocket socket = (SSLSocket) client(false).getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                .getName();
        }
    }

    /** @return whether a line sent over a new connection comes back (false when the server refuses the client) */
    static boolean echoes(int port, boolean withCertificate) throws Exception {
        try (SSLSocket socket = (SSLSocket) client(withCertificate).getSocketFactory()
            .createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(10_000);
            socket.getOutputStream().write("mtls\n".getBytes(StandardCharsets.US_ASCII));
            socket.getOutputStream().flush();
            byte[] back = socket.getInputStream().readNBytes(5);
            return new String(back, StandardCharsets.US_ASCII).equals("mtls\n");
        }
        catch (IOException refused) {
            // TLS 1.3: the client's handshake may end before the server judges its certificate; the refusal then
            // arrives as an alert on the first read.
            return false;
        }
    }

    private static final class TrustAll implements X509TrustManager {

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
