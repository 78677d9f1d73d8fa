package dev.asyncio.core.tls;

import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.TlsSide;
import dev.asyncio.core.testing.TlsFixtures;
import java.util.function.Consumer;
import javax.net.ssl.SSLParameters;

/**
 * The TLS options the tests take their roles with, over the key material of {@link TlsFixtures}: one definition of
 * each role, so that a test names the role and states only what it changes about it.
 */
final class TlsTestOptions {

    private TlsTestOptions() {
    }

    /** @return a server presenting the trusted {@code localhost} certificate; the side is left to the call */
    static TlsOptions server() {
        return server(null);
    }

    /** @param parameters adjusts the engine's parameters, or {@code null} @return as {@link #server()} */
    static TlsOptions server(Consumer<SSLParameters> parameters) {
        return TlsOptions.builder().context(TlsFixtures.server()).parametersConfigurer(parameters).build();
    }

    /** @return a client that trusts the test certificates and verifies the host name; the side is left to the call */
    static TlsOptions client() {
        return client(null);
    }

    /** @param parameters adjusts the engine's parameters, or {@code null} @return as {@link #client()} */
    static TlsOptions client(Consumer<SSLParameters> parameters) {
        return TlsOptions.builder().context(TlsFixtures.trustingClient()).parametersConfigurer(parameters).build();
    }

    /** @return connect options for a TLS client of a test server on {@code localhost} */
    static ConnectOptions connectClient() {
        return connectClient(null);
    }

    /** @param parameters adjusts the engine's parameters, or {@code null} @return as {@link #connectClient()} */
    static ConnectOptions connectClient(Consumer<SSLParameters> parameters) {
        return ConnectOptions.builder().tls(client(parameters)).build();
    }

    /** @return options to attach TLS as the server to the accepted end of a plain connection */
    static TlsOptions serverSide() {
        return TlsOptions.builder().context(TlsFixtures.server()).side(TlsSide.SERVER).build();
    }

    /** @return options to attach TLS as the client to the connecting end of a plain connection */
    static TlsOptions clientSide() {
        // Attached to a state that has no connect host: the SNI name is what host name verification checks.
        return TlsOptions.builder().context(TlsFixtures.trustingClient()).side(TlsSide.CLIENT)
                .sniHostName("localhost").build();
    }

    /** @return a parameters configurer that enables {@code protocol} alone, to force a protocol version */
    static Consumer<SSLParameters> only(String protocol) {
        return p -> p.setProtocols(new String[] {protocol});
    }
}
