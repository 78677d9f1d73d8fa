package com.example.uppercase;

import java.io.IOException;

import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.LocalAsyncIoPort;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The second test class, with other properties: a second context, cached next to the first one, configured on the
 * same port. Without ephemeral ports under tests its handle waited 60 s for port 26700 and failed.
 */
@SpringBootTest(properties = { "spring.config.name=uppercase", "async-io.handles.upper.read-timeout=30s" })
class UppercaseTimeoutTests {

    @LocalAsyncIoPort("upper")
    int port;

    @Autowired
    @Qualifier("upper")
    ManagedAcceptingHandle handle;

    @Test
    void runsNextToTheFirstContextWithItsOwnProperties() throws IOException {
        assertThat(this.port).isPositive().isNotEqualTo(26700).isEqualTo(this.handle.localPort());
        assertThat(this.handle.handle().options().stateOptions().readTimeout()).hasSeconds(30);
        assertThat(UppercaseServerTests.exchange(this.port, "again\n", 6)).isEqualTo("AGAIN\n");
    }
}
