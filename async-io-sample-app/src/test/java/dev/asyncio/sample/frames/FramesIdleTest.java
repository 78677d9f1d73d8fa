package dev.asyncio.sample.frames;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;

import dev.asyncio.core.IdleOptions;
import dev.asyncio.spring.IdleAction;
import dev.asyncio.spring.IdlePolicy;
import dev.asyncio.spring.autoconfigure.ConfiguredHandles;

/**
 * The sample's {@code frames} handle closes connections idle for 5 minutes ({@code idle.all} and {@code idle.action}
 * in {@code application.yml}); the other handles detect no idleness. Same context as {@link FramesHandleTest}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "async-io.handles.echo.address=127.0.0.1", "async-io.handles.kv.address=127.0.0.1",
        "async-io.handles.tls-echo.address=127.0.0.1", "async-io.handles.frames.address=127.0.0.1",
        "sample.udp-echo.port=0", "sample.udp-echo.address=127.0.0.1", "spring.main.banner-mode=off"})
class FramesIdleTest {

    @Autowired
    private ConfiguredHandles handles;

    @Test
    void theFramesHandleClosesConnectionsIdleForFiveMinutes() {
        IdlePolicy policy = handles.idlePolicies().get("frames");
        assertThat(policy).isNotNull();
        assertThat(policy.options()).isEqualTo(IdleOptions.allIdle(Duration.ofMinutes(5)));
        assertThat(policy.action()).isEqualTo(IdleAction.CLOSE);
        assertThat(handles.idlePolicies()).containsOnlyKeys("frames");
    }
}
