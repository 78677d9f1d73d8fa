package dev.asyncio.spring.autoconfigure;

import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.TransportChoice;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint;
import dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint.CollectionDescriptor;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code async-io.transport} and {@code async-io.collections.<name>.transport}. The starter's tests run without
 * the async-io-native module on the class path, so the native transport can never run here: forcing it must fail
 * start-up naming the property, and auto must fall back to NIO saying why.
 */
@ExtendWith(OutputCaptureExtension.class)
class TransportPropertiesTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.loops=1", "async-io.collections.side.callback-error-policy=log");

    @Test
    void forcedNativeFailsStartUpNamingTheProperty() {
        this.runner.withPropertyValues("async-io.transport=native")
            .run((context) -> assertFailure(context, "async-io.transport"));
    }

    @Test
    void forcedNativeForOneCollectionFailsStartUpNamingItsProperty() {
        this.runner.withPropertyValues("async-io.collections.side.transport=native")
            .run((context) -> assertFailure(context, "async-io.collections.side.transport"));
    }

    @Test
    void autoFallsBackToNioSayingWhyInTheLogAndTheEndpoint(CapturedOutput output) {
        this.runner.withPropertyValues("async-io.transport=auto").run((context) -> {
            assertThat(context).hasNotFailed();
            TransportChoice choice = context.getBean(AsyncIoRegistry.class).collection("echo").transport();
            assertThat(choice.name()).isEqualTo("nio");
            assertThat(choice.reason()).startsWith("async-io.transport=auto: falling back to NIO because");
            CollectionDescriptor echo = endpointEntry(context, "echo");
            assertThat(echo.transport()).isEqualTo("nio");
            assertThat(echo.transportReason()).isEqualTo(choice.reason());
            assertThat(output).contains("async-io transport: nio (async-io.transport=auto: falling back to NIO");
        });
    }

    @Test
    void nioRunsEveryCollectionOnNio() {
        this.runner.withPropertyValues("async-io.transport=nio", "async-io.fail-on-unknown-properties=true")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
                for (String name : new String[] { "echo", "side" }) {
                    TransportChoice choice = registry.collection(name).transport();
                    assertThat(choice.name()).isEqualTo("nio");
                    assertThat(choice.reason()).isEqualTo("async-io.transport=nio");
                }
            });
    }

    @Test
    void aCollectionsOwnModeWinsAndNamesItsProperty() {
        this.runner.withPropertyValues("async-io.transport=auto", "async-io.collections.side.transport=nio")
            .run((context) -> {
                AsyncIoRegistry registry = context.getBean(AsyncIoRegistry.class);
                assertThat(registry.collection("side").transport().reason())
                    .isEqualTo("async-io.collections.side.transport=nio");
                assertThat(registry.collection("echo").transport().reason()).startsWith("async-io.transport=auto");
            });
    }

    @Test
    void unsetLeavesTheSystemPropertyInCharge() {
        this.runner.run((context) -> {
            TransportChoice choice = context.getBean(AsyncIoRegistry.class).collection("echo").transport();
            assertThat(choice.reason()).startsWith("system property asyncio.transport=");
        });
    }

    private static CollectionDescriptor endpointEntry(AssertableApplicationContext context, String name) {
        return new AsyncIoEndpoint(context.getBean(AsyncIoRegistry.class), Duration.ZERO).overview()
            .collections()
            .stream()
            .filter((c) -> c.name().equals(name))
            .findFirst()
            .orElseThrow();
    }

    private static void assertFailure(AssertableApplicationContext context, String property) {
        assertThat(context).hasFailed();
        AsyncIoConfigurationException ex = AsyncIoAutoConfigurationTests.findCause(context.getStartupFailure(),
                AsyncIoConfigurationException.class);
        assertThat(ex).as("AsyncIoConfigurationException in %s", context.getStartupFailure()).isNotNull();
        assertThat(ex.getProperty()).isEqualTo(property);
        assertThat(ex.getMessage()).contains(property).contains("asks for the native transport, which cannot run here");
    }
}
