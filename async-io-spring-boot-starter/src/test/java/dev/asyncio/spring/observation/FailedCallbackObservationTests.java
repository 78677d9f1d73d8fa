package dev.asyncio.spring.observation;

import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import dev.asyncio.spring.autoconfigure.observation.AsyncIoObservationAutoConfiguration;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistryAssert;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.awaitility.Awaitility.await;

/**
 * Issue 17: a connection whose callback threw under the default policy and left nothing in flight is closed by the
 * core, so its {@code asyncio.connection} observation ends, with outcome {@code error} (it never ended before).
 */
class FailedCallbackObservationTests {

    @Test
    void theObservationOfAConnectionWhoseCallbackFailedEndsAsAnError() {
        ConnectionFunction failing = (handle, state) -> state.readBuffer(new byte[1], (s, b, n) -> {
            throw new IllegalStateException("callback failure on purpose (test)");
        });
        TestObservationRegistry registry = TestObservationRegistry.create();
        new ApplicationContextRunner()
            .withConfiguration(
                    AutoConfigurations.of(AsyncIoObservationAutoConfiguration.class, AsyncIoAutoConfiguration.class))
            .withBean("failingFunction", ConnectionFunction.class, () -> failing)
            .withBean(ObservationRegistry.class, () -> registry)
            .withPropertyValues("async-io.handles.failing.port=0", "async-io.handles.failing.address=127.0.0.1")
            .run((context) -> {
                ManagedAcceptingHandle handle = context.getBean("failing", ManagedAcceptingHandle.class);
                try (Socket client = new Socket(InetAddress.getLoopbackAddress(), handle.localPort())) {
                    OutputStream out = client.getOutputStream();
                    out.write('x');
                    out.flush();
                    await().untilAsserted(() -> TestObservationRegistryAssert.assertThat(registry)
                        .hasObservationWithNameEqualTo("asyncio.connection")
                        .that()
                        .hasBeenStopped()
                        .hasLowCardinalityKeyValue("outcome", "error"));
                }
            });
    }
}
