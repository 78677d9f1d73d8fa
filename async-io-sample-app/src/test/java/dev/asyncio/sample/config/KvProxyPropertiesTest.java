package dev.asyncio.sample.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import dev.asyncio.sample.kv.resp.RespLimits;
import dev.asyncio.sample.kvproxy.KvProxySettings;

class KvProxyPropertiesTest {

    @EnableConfigurationProperties(KvProxyProperties.class)
    static class WithProperties {
    }

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withUserConfiguration(WithProperties.class);

    @Test
    void defaultsBoundEachClientAndAllOfThem() {
        runner.run(context -> {
            KvProxySettings s = context.getBean(KvProxyProperties.class).toSettings(RespLimits.DEFAULTS);
            assertThat(s.maxPipelineDepth()).isEqualTo(1024);
            assertThat(s.maxPendingBytes()).isEqualTo(4L << 20);
            assertThat(s.clientOutputHardLimit()).isEqualTo(32L << 20);
            assertThat(s.maxTotalPendingBytes()).isEqualTo(64L << 20);
        });
    }

    @Test
    void aBadValueFailsStartUpNamingTheProperty() {
        runner.withPropertyValues("sample.kv-proxy.max-pipeline-depth=0").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessage("sample.kv-proxy.max-pipeline-depth must be positive, got 0"));
        runner.withPropertyValues("sample.kv-proxy.client-output-hard-limit=1MB").run(context -> assertThat(context)
                .getFailure().rootCause().hasMessageContaining("sample.kv-proxy.client-output-hard-limit")
                .hasMessageContaining("sample.kv-proxy.max-reply-length"));
    }
}
