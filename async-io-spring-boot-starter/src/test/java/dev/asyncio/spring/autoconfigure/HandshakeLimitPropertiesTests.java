package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code tls.max-concurrent-handshakes} and {@code tls.max-queued-handshakes} of a handle. */
class HandshakeLimitPropertiesTests {

    private final ApplicationContextRunner tls = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class, SslAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.loops=1",
                "spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/pem/server-first.crt",
                "spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/pem/server-first.key",
                "async-io.handles.echo.tls.bundle=server");

    @Test
    void byDefaultTheCoreDefaults() {
        this.tls.run((context) -> {
            TlsOptions options = context.getBean("echo", ManagedAcceptingHandle.class).handle().options().tls();
            assertThat(options.maxConcurrentHandshakes()).isEqualTo(TlsOptions.DEFAULT_MAX_CONCURRENT_HANDSHAKES);
            assertThat(options.maxQueuedHandshakes()).isEqualTo(TlsOptions.DEFAULT_MAX_QUEUED_HANDSHAKES);
        });
    }

    @Test
    void theLimitsReachTheCoreOptions() {
        this.tls.withPropertyValues("async-io.handles.echo.tls.max-concurrent-handshakes=8",
                "async-io.handles.echo.tls.max-queued-handshakes=0", "async-io.fail-on-unknown-properties=true")
            .run((context) -> {
                TlsOptions options = context.getBean("echo", ManagedAcceptingHandle.class).handle().options().tls();
                assertThat(options.maxConcurrentHandshakes()).isEqualTo(8);
                assertThat(options.maxQueuedHandshakes()).isZero();
            });
    }

    @Test
    void noHandshakeSlotFailsStartUpNamingTheProperty() {
        this.tls.withPropertyValues("async-io.handles.echo.tls.max-concurrent-handshakes=0")
            .run((context) -> assertFailure(context, "async-io.handles.echo.tls.max-concurrent-handshakes",
                    "must be positive"));
    }

    @Test
    void aNegativeQueueFailsStartUpNamingTheProperty() {
        this.tls.withPropertyValues("async-io.handles.echo.tls.max-queued-handshakes=-1")
            .run((context) -> assertFailure(context, "async-io.handles.echo.tls.max-queued-handshakes",
                    "must not be negative"));
    }

    private static void assertFailure(AssertableApplicationContext context, String property, String reason) {
        assertThat(context).hasFailed();
        AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests.findCause(context.getStartupFailure(),
                AsyncIoConfigurationException.class);
        assertThat(ex).as("AsyncIoConfigurationException in %s", context.getStartupFailure()).isNotNull();
        assertThat(ex.getProperty()).isEqualTo(property);
        assertThat(ex.getMessage()).contains(property).contains(reason);
    }
}
