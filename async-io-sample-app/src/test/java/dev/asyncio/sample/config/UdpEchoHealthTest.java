package dev.asyncio.sample.config;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.SmartLifecycle;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.udp.UdpEchoServer;

/** The UDP echo's health: a socket closed behind the echo's back while it should serve is reported DOWN. */
class UdpEchoHealthTest {

    private final WaitStateCollection collection = WaitStateCollection.createAndRun("udp-echo-health-test");
    private final UdpEchoServer server = new UdpEchoServer();

    @AfterEach
    void stop() {
        server.close();
        collection.close();
    }

    private static SmartLifecycle running() {
        return new SmartLifecycle() {
            @Override
            public void start() {
            }

            @Override
            public void stop() {
            }

            @Override
            public boolean isRunning() {
                return true;
            }
        };
    }

    @Test
    void aClosedUdpEchoSocketIsDown() throws Exception {
        server.start(collection, "127.0.0.1", 0);
        HealthIndicator health = new UdpEchoConfiguration().udpEchoHealthIndicator(server, running());
        assertThat(health.health().getStatus()).isEqualTo(Status.UP);

        // Closed behind the echo's back, as a failing callback under the close policy would.
        for (AsyncIoState s : collection.states()) {
            s.close();
        }

        assertThat(server.isOpen()).isFalse();
        assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.health().getDetails().get("error").toString()).contains("UDP echo socket is closed");
    }
}
