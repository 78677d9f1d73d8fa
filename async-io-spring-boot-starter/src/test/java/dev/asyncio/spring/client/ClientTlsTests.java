package dev.asyncio.spring.client;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.client.ClientState;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAsyncIoClient;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code async-io.clients.<name>.tls.*} against a TLS handle of the same context: the client trusts the handle's
 * certificate through its SSL bundle and checks the host name; a certificate for another host fails the handshake
 * unless {@code server-name} names that host (sent as SNI and verified) or {@code verify-hostname=false}.
 */
class ClientTlsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AsyncIoAutoConfiguration.class))
        .withBean("echo", FrameHandler.class, () -> (connection, frame) -> connection.reply(frame))
        .withPropertyValues("spring.ssl.bundle.jks.server.keystore.location=classpath:tls/server.p12",
                "spring.ssl.bundle.jks.server.keystore.password=changeit",
                "spring.ssl.bundle.jks.server.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.wrongname.keystore.location=classpath:tls/wrongname.p12",
                "spring.ssl.bundle.jks.wrongname.keystore.password=changeit",
                "spring.ssl.bundle.jks.wrongname.keystore.type=PKCS12",
                "spring.ssl.bundle.jks.trust.truststore.location=classpath:tls/truststore.p12",
                "spring.ssl.bundle.jks.trust.truststore.password=changeit", "async-io.handles.tls.port=0",
                "async-io.handles.tls.address=127.0.0.1", "async-io.handles.tls.loops=1",
                "async-io.handles.tls.connection-function=echo", "async-io.handles.tls.framing.type=line",
                "async-io.handles.tls.tls.bundle=server", "async-io.clients.up.address=handle:tls",
                "async-io.clients.up.framing.type=line", "async-io.clients.up.tls.bundle=trust",
                "async-io.clients.up.reconnect.initial-interval=50ms");

    @Test
    void aClientTalksTlsToAHandleVerifyingItsCertificate() {
        this.runner.run((context) -> assertThat(echo(context.getBean("up", ManagedAsyncIoClient.class)))
            .isEqualTo("secret"));
    }

    @Test
    void aCertificateForAnotherHostFailsTheHandshake() {
        this.runner.withPropertyValues("async-io.handles.tls.tls.bundle=wrongname").run((context) -> {
            ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
            await().atMost(Duration.ofSeconds(10)).until(() -> client.statistics().connectFailures()
                    + client.statistics().disconnects() >= 1);
            assertThat(client.state()).isNotEqualTo(ClientState.CONNECTED);
            assertThat(client.statistics().replies()).isZero();
        });
    }

    @Test
    void aServerNameThatTheCertificateNamesIsSentAndVerified() {
        this.runner
            .withPropertyValues("async-io.handles.tls.tls.bundle=wrongname",
                    "async-io.clients.up.tls.server-name=wrong.example")
            .run((context) -> assertThat(echo(context.getBean("up", ManagedAsyncIoClient.class)))
                .isEqualTo("secret"));
    }

    @Test
    void withoutHostnameVerificationAnotherHostsCertificateIsAccepted() {
        this.runner
            .withPropertyValues("async-io.handles.tls.tls.bundle=wrongname",
                    "async-io.clients.up.tls.verify-hostname=false")
            .run((context) -> assertThat(echo(context.getBean("up", ManagedAsyncIoClient.class)))
                .isEqualTo("secret"));
    }

    private static String echo(ManagedAsyncIoClient client) throws Exception {
        await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.CONNECTED);
        byte[] reply = client.request("secret".getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        return new String(reply, StandardCharsets.UTF_8);
    }
}
