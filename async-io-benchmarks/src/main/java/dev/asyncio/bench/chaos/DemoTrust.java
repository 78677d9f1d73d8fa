package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.jar.JarFile;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.TrustManagerFactory;

/**
 * TLS for the harness's clients: a context that trusts the sample's DEMO certificate (read from the packaged jar,
 * where the sample keeps it) and nothing else, and the bytes of a real ClientHello for the slow clients to trickle.
 */
final class DemoTrust {

    private static final String CERTIFICATE = "BOOT-INF/classes/tls/demo-echo-tls.crt";

    private DemoTrust() {
    }

    /**
     * @param sampleJar the packaged sample
     * @return a client context trusting its demo certificate
     * @throws IOException when the jar has no such certificate
     * @throws GeneralSecurityException when it cannot be used
     */
    static SSLContext context(Path sampleJar) throws IOException, GeneralSecurityException {
        Certificate demo;
        try (JarFile jar = new JarFile(sampleJar.toFile())) {
            var entry = jar.getEntry(CERTIFICATE);
            if (entry == null) {
                throw new IOException(sampleJar + " has no " + CERTIFICATE);
            }
            try (InputStream in = jar.getInputStream(entry)) {
                demo = CertificateFactory.getInstance("X.509").generateCertificate(in);
            }
        }
        KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
        trust.load(null, null);
        trust.setCertificateEntry("demo", demo);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /**
     * @param ctx a client context
     * @return the first flight of a client handshake (the ClientHello record) as a real client would send it
     * @throws IOException when the engine produced nothing
     */
    static byte[] clientHello(SSLContext ctx) throws IOException {
        SSLEngine engine = ctx.createSSLEngine("127.0.0.1", 443);
        engine.setUseClientMode(true);
        ByteBuffer out = ByteBuffer.allocate(engine.getSession().getPacketBufferSize());
        SSLEngineResult r = engine.wrap(ByteBuffer.allocate(0), out);
        if (r.bytesProduced() == 0) {
            throw new IOException("the client engine produced no ClientHello: " + r);
        }
        out.flip();
        byte[] hello = new byte[out.remaining()];
        out.get(hello);
        return hello;
    }
}
