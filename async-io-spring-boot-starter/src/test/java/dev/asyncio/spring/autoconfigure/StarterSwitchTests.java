package dev.asyncio.spring.autoconfigure;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.observation.AsyncIoObservationAutoConfiguration;
import dev.asyncio.spring.observation.ObservingHandleCustomizer;
import dev.asyncio.spring.test.EchoConnectionFunction;
import io.micrometer.observation.ObservationRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code async-io.enabled} and {@code async-io.handles.<name>.enabled}. */
class StarterSwitchTests {

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(AsyncIoAutoConfiguration.class, AsyncIoObservationAutoConfiguration.class))
        .withBean(ObservationRegistry.class, ObservationRegistry::create)
        .withBean("echoFunction", ConnectionFunction.class, EchoConnectionFunction::new)
        .withPropertyValues("async-io.fail-on-unknown-properties=true", "async-io.handles.echo.port=0",
                "async-io.handles.echo.address=127.0.0.1", "async-io.handles.echo.queue-output=true");

    @Test
    void enabledIsAKnownPropertyAndOnByDefault() {
        this.runner.withPropertyValues("async-io.enabled=true").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).hasSingleBean(AsyncIoRegistry.class);
            assertThat(context.getBean("echo", ManagedAcceptingHandle.class).localPort()).isPositive();
        });
    }

    @Test
    void enabledFalseTurnsTheWholeStarterOff() {
        this.runner.withPropertyValues("async-io.enabled=false").run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(AsyncIoRegistry.class);
            assertThat(context).doesNotHaveBean(ManagedAcceptingHandle.class);
            assertThat(context).doesNotHaveBean(ObservingHandleCustomizer.class);
            assertThat(context).doesNotHaveBean("echo");
        });
    }

    @Test
    void aDisabledHandleHasNoBeanAndItsPropertiesAreNotChecked() {
        this.runner
            .withPropertyValues("async-io.handles.off.enabled=false", "async-io.handles.off.port=70000",
                    "async-io.handles.off.connection-function=noSuchBean")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean("off");
                assertThat(context).doesNotHaveBean("offHandle");
                assertThat(context.getBean(AsyncIoRegistry.class).handles()).extracting(ManagedAcceptingHandle::name)
                    .containsExactly("echo");
                assertThat(context.getBean("echo", ManagedAcceptingHandle.class).isOpen()).isTrue();
            });
    }
}
