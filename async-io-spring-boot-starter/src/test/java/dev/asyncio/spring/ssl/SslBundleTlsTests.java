package dev.asyncio.spring.ssl;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.HandleCloseMode;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.io.ClassPathResource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * TLS from Spring Boot SSL bundles: a reloaded bundle (real PEM files rewritten on disk) reaches new connections
 * and a re-opened handle without a restart; {@code tls.client-auth=need} refuses a client without a certificate.
 */
class SslBundleTlsTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class, AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.echo.tls.bundle=server");

    @Test
    void reloadedBundleServesNewConnectionsAndTheReopenedHandle(@TempDir Path dir) throws Exception {
        Path certificate = dir.resolve("server.crt");
        Path key = dir.resolve("server.key");
        copy("server-first", certificate, key);
        this.runner
            .withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=file:" + certificate,
                    "spring.ssl.bundle.pem.server.keystore.private-key=file:" + key,
                    "spring.ssl.bundle.pem.server.reload-on-update=true",
                    "spring.ssl.bundle.watch.file.quiet-period=20ms")
            .run((context) -> {
                ManagedAcceptingHandle echo = context.getBean("echo", ManagedAcceptingHandle.class);
                assertThat(TlsTestClients.serverSubject(echo.localPort())).isEqualTo("CN=first");

                copy("server-second", certificate, key);
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> TlsTestClients.serverSubject(echo.localPort()).equals("CN=second"));
                assertThat(TlsTestClients.echoes(echo.localPort(), false)).isTrue();

                echo.close(HandleCloseMode.KEEP, Duration.ZERO);
                echo.reopen();
                assertThat(TlsTestClients.serverSubject(echo.localPort())).isEqualTo("CN=second");
            });
    }

    @Test
    void clientAuthNeedRefusesAClientWithoutACertificate() {
        this.runner
            .withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/pem/server-first.crt",
                    "spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/pem/server-first.key",
                    "spring.ssl.bundle.pem.server.truststore.certificate=classpath:tls/pem/client.crt",
                    "async-io.handles.echo.tls.client-auth=need")
            .run((context) -> {
                int port = context.getBean("echo", ManagedAcceptingHandle.class).localPort();
                assertThat(TlsTestClients.echoes(port, false)).as("no client certificate").isFalse();
                assertThat(TlsTestClients.echoes(port, true)).as("trusted client certificate").isTrue();
            });
    }

    @Test
    void clientAuthWantAcceptsAClientWithoutACertificate() {
        this.runner
            .withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/pem/server-first.crt",
                    "spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/pem/server-first.key",
                    "spring.ssl.bundle.pem.server.truststore.certificate=classpath:tls/pem/client.crt",
                    "async-io.handles.echo.tls.client-auth=want")
            .run((context) -> {
                int port = context.getBean("echo", ManagedAcceptingHandle.class).localPort();
                assertThat(TlsTestClients.echoes(port, false)).isTrue();
                assertThat(TlsTestClients.echoes(port, true)).isTrue();
            });
    }

    private static void copy(String pair, Path certificate, Path key) throws Exception {
        // Write aside and move, so that the watcher never reads half a file.
        Path certificateTemp = Files.createTempFile(certificate.getParent(), "crt", ".tmp");
        Path keyTemp = Files.createTempFile(key.getParent(), "key", ".tmp");
        try (var in = new ClassPathResource("tls/pem/" + pair + ".crt").getInputStream()) {
            Files.copy(in, certificateTemp, StandardCopyOption.REPLACE_EXISTING);
        }
        try (var in = new ClassPathResource("tls/pem/" + pair + ".key").getInputStream()) {
            Files.copy(in, keyTemp, StandardCopyOption.REPLACE_EXISTING);
        }
        Files.move(keyTemp, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        Files.move(certificateTemp, certificate, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }
}
