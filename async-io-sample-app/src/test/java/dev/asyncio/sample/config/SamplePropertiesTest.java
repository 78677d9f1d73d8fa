package dev.asyncio.sample.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import dev.asyncio.sample.echo.EchoConnectionFunction;
import dev.asyncio.sample.kv.KvConnectionFunction;

class SamplePropertiesTest {

    @Configuration(proxyBeanMethods = false)
    @EnableConfigurationProperties(SampleProperties.class)
    static class WithProperties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(WithProperties.class, ProtocolConfiguration.class);

    @Test
    void defaultsCreateBothConnectionFunctions() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(EchoConnectionFunction.class).hasSingleBean(KvConnectionFunction.class);
            assertThat(context.getBean(KvConnectionFunction.class).server().maxMemory()).isEqualTo(64L * 1024 * 1024);
        });
    }

    @Test
    void settingsAreBound() {
        runner.withPropertyValues("sample.kv.max-memory=1MB").run(context ->
                assertThat(context.getBean(KvConnectionFunction.class).server().maxMemory()).isEqualTo(1024 * 1024));
    }

    @Test
    void aBadHeapFractionOrUdpLimitFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.kv.max-heap-fraction=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.max-heap-fraction must be above 0 and at most 1");
        });
        runner.withPropertyValues("sample.udp-echo.rate-per-source=0").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.udp-echo.rate-per-source must be positive");
        });
    }

    @Test
    void anInvalidValueFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.kv.max-bulk-length=0B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.max-bulk-length must be from 1B to 2GB");
        });
        runner.withPropertyValues("sample.kv.sweep-budget=-1").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.sweep-budget must be positive");
        });
    }

    @Test
    void aNonPositiveEchoCloseTimeoutFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.echo.close-timeout=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.echo.close-timeout must be positive");
        });
    }

    @Test
    void aNonPositivePendingRequestBudgetFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.kv.max-pending-request-bytes=0B").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.max-pending-request-bytes must be positive");
        });
    }

    @Test
    void clientLimitsAreBoundAndCheckedNamingTheProperty() {
        runner.withPropertyValues("sample.kv.client-output-soft-limit=9MB").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause().hasMessageContaining(
                    "sample.kv.client-output-soft-limit (9437184B) must not exceed sample.kv.client-output-hard-limit");
        });
        runner.withPropertyValues("sample.kv.request-deadline=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.request-deadline must be positive");
        });
        runner.withPropertyValues("sample.kv.client-output-soft-time=0s").run(context -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("sample.kv.client-output-soft-time must be positive");
        });
    }

    @Test
    void thePasswordIsNotShownInTheSettings() {
        runner.withPropertyValues("sample.kv.password=s3cret").run(context ->
                assertThat(context.getBean(SampleProperties.class).toString()).doesNotContain("s3cret"));
    }
}
