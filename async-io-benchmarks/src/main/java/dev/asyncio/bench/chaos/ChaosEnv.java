package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.List;
import javax.net.ssl.SSLContext;

/**
 * What every scenario shares: the packaged sample jar, the output directory (logs go to {@code <out>/chaos/}), the
 * scenario's own block of ports, and a TLS client context that trusts the sample's demo certificate.
 */
final class ChaosEnv {

    /** The heap every sample process gets, as the attacker test prescribes. */
    static final String HEAP = "256m";

    private final Path jar;
    private final Path out;
    private final SamplePorts ports;
    private final String scenario;
    private final SSLContext tls;

    /**
     * @param jar      the packaged sample
     * @param out      the output directory
     * @param ports    this scenario's ports
     * @param scenario the scenario's name (names its log)
     * @param tls      the client context
     */
    ChaosEnv(Path jar, Path out, SamplePorts ports, String scenario, SSLContext tls) {
        this.jar = jar;
        this.out = out;
        this.ports = ports;
        this.scenario = scenario;
        this.tls = tls;
    }

    /**
     * @param jar the packaged sample
     * @return a client context trusting its demo certificate
     * @throws IOException              when the jar cannot be read
     * @throws GeneralSecurityException when the certificate cannot be used
     */
    static SSLContext tlsFor(Path jar) throws IOException, GeneralSecurityException {
        return DemoTrust.context(jar);
    }

    /**
     * Starts the sample on this scenario's ports at {@value #HEAP} heap.
     *
     * @param fileLimit its {@code ulimit -n}
     * @param extraArgs more Spring Boot arguments
     * @return the ready process; the caller closes it
     * @throws IOException when it does not become ready
     */
    SampleProcess start(int fileLimit, List<String> extraArgs) throws IOException {
        return SampleProcess.start(jar, out.resolve("chaos").resolve(scenario + ".log"), ports, fileLimit, HEAP,
                extraArgs);
    }

    /** @return this scenario's ports */
    SamplePorts ports() {
        return ports;
    }

    /** @return the client TLS context */
    SSLContext tls() {
        return tls;
    }
}
