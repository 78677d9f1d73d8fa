package dev.asyncio.spring.autoconfigure;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.concurrent.atomic.AtomicReference;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** {@code request-deadline} (the slowloris defence) and {@code tls.max-renegotiations} of a handle. */
class AbuseLimitPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.echo.loops=1");

    private final ApplicationContextRunner tls = this.runner
        .withConfiguration(AutoConfigurations.of(SslAutoConfiguration.class))
        .withPropertyValues("spring.ssl.bundle.pem.server.keystore.certificate=classpath:tls/pem/server-first.crt",
                "spring.ssl.bundle.pem.server.keystore.private-key=classpath:tls/pem/server-first.key",
                "async-io.handles.echo.tls.bundle=server");

    @Test
    void byDefaultNoRequestDeadlineAndNoRenegotiation() {
        this.tls.run((context) -> {
            var options = context.getBean("echo", ManagedAcceptingHandle.class).handle().options();
            assertThat(options.stateOptions().readDeadline()).isNull();
            assertThat(options.tls().maxRenegotiations()).isZero();
        });
    }

    @Test
    void requestDeadlineAndMaxRenegotiationsReachTheCoreOptions() {
        this.tls.withPropertyValues("async-io.handles.echo.request-deadline=15s",
                "async-io.handles.echo.tls.max-renegotiations=2", "async-io.fail-on-unknown-properties=true")
            .run((context) -> {
                var options = context.getBean("echo", ManagedAcceptingHandle.class).handle().options();
                assertThat(options.stateOptions().readDeadline()).hasSeconds(15);
                assertThat(options.tls().maxRenegotiations()).isEqualTo(2);
            });
    }

    @Test
    void aTricklingRequestEndsAtTheDeadline() throws Exception {
        AtomicReference<IoStatus> status = new AtomicReference<>();
        // Waits for a whole line; the peer sends one byte and nothing more, so only the deadline can end the read.
        ConnectionFunction lines = (handle, state) -> state.readWithChecking((s, buffer, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                status.set(s.readStatus());
                s.close();
                return;
            }
            for (int i = 0; i < end; i++) {
                if (buffer[i] == '\n') {
                    s.discard(i + 1);
                    return;
                }
            }
        });
        this.runner.withBean("lines", ConnectionFunction.class, () -> lines)
            .withPropertyValues("async-io.handles.echo.connection-function=lines",
                    "async-io.handles.echo.request-deadline=200ms")
            .run((context) -> {
                int port = context.getBean("echo", ManagedAcceptingHandle.class).localPort();
                try (Socket socket = new Socket()) {
                    socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                    socket.setSoTimeout(30_000);
                    OutputStream out = socket.getOutputStream();
                    out.write('G');
                    out.flush();
                    InputStream in = socket.getInputStream();
                    assertThat(in.read()).isEqualTo(-1);
                }
                await().untilAsserted(() -> assertThat(status.get()).isEqualTo(IoStatus.TIMEOUT));
            });
    }

    @Test
    void aZeroOrNegativeRequestDeadlineFails() {
        this.runner.withPropertyValues("async-io.handles.echo.request-deadline=0s")
            .run((context) -> assertFailure(context, "async-io.handles.echo.request-deadline", "must be positive"));
        this.runner.withPropertyValues("async-io.handles.echo.request-deadline=-1s")
            .run((context) -> assertFailure(context, "async-io.handles.echo.request-deadline", "must be positive"));
    }

    @Test
    void negativeMaxRenegotiationsFails() {
        this.tls.withPropertyValues("async-io.handles.echo.tls.max-renegotiations=-1")
            .run((context) -> assertFailure(context, "async-io.handles.echo.tls.max-renegotiations",
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
