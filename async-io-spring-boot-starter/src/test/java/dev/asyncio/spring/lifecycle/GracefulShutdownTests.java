package dev.asyncio.spring.lifecycle;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketException;
import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoClient;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Shutdown of a running application: graceful shutdown writes every byte a connection accepted for writing before
 * it closes; immediate shutdown does not wait.
 */
class GracefulShutdownTests {

    /** Far more than the loopback socket buffers (the send buffer grows to 4 MiB here) can hold. */
    private static final int PAYLOAD = 16 * 1024 * 1024;

    @Test
    void gracefulShutdownLosesNoByteOfAnInFlightTransfer() throws Exception {
        ConfigurableApplicationContext context = start("graceful");
        ManagedAcceptingHandle bulk = context.getBean("bulk", ManagedAcceptingHandle.class);
        try (EchoClient client = EchoClient.connect(bulk.localPort(), 4096)) {
            // The client reads nothing yet, so the transfer stalls with output queued in the state.
            await().until(() -> bulk.connections(1).size() == 1 && bulk.connections(1).get(0).queuedOutput() > 0);
            Thread closer = new Thread(context::close, "context-closer");
            closer.start();
            await().until(() -> bulk.status() == ManagedAcceptingHandle.Status.STOPPED);
            assertThat(EchoClient.isRefused(bulk.localPort())).isTrue();

            byte[] received = client.input().readAllBytes();
            assertThat(received).hasSize(PAYLOAD);
            for (int i = 0; i < received.length; i++) {
                if (received[i] != pattern(i)) {
                    throw new AssertionError("byte " + i + " differs");
                }
            }
            closer.join(Duration.ofSeconds(30).toMillis());
            assertThat(closer.isAlive()).isFalse();
            assertThat(context.isActive()).isFalse();
            assertThat(bulk.collection().isClosed()).isTrue();
        }
        finally {
            context.close();
        }
    }

    @Test
    void immediateShutdownDoesNotWaitForConnections() throws IOException {
        ConfigurableApplicationContext context = start("immediate");
        ManagedAcceptingHandle bulk = context.getBean("bulk", ManagedAcceptingHandle.class);
        try (EchoClient client = EchoClient.connect(bulk.localPort(), 4096)) {
            await().until(() -> bulk.connections(1).size() == 1 && bulk.connections(1).get(0).queuedOutput() > 0);
            context.close();
            assertThat(bulk.collection().isClosed()).isTrue();
            assertThat(drain(client.input())).isLessThanOrEqualTo(PAYLOAD);
        }
        finally {
            context.close();
        }
    }

    private static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[64 * 1024];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                total += n;
            }
        }
        catch (SocketException reset) {
            // An aborted connection may end with a reset: that is the point of "immediate".
        }
        return total;
    }

    private static ConfigurableApplicationContext start(String shutdown) {
        return new SpringApplicationBuilder(BulkApplication.class).web(WebApplicationType.NONE)
            .properties("async-io.handles.bulk.port=0", "async-io.handles.bulk.address=127.0.0.1",
                    "async-io.shutdown=" + shutdown, "spring.lifecycle.timeout-per-shutdown-phase=20s",
                    "spring.main.banner-mode=off")
            .run();
    }

    static byte pattern(int i) {
        return (byte) (i * 31 + (i >>> 8));
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class BulkApplication {

        /** Writes the payload to every new connection at once, then waits for the peer. */
        @Bean
        ConnectionFunction bulkWriter() {
            byte[] payload = new byte[PAYLOAD];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = pattern(i);
            }
            return (handle, state) -> state.writeBuffer(payload, null);
        }
    }
}
