package dev.asyncio.spring.client;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.asyncio.core.client.ClientState;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAsyncIoClient;
import dev.asyncio.spring.autoconfigure.AsyncIoAutoConfiguration;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The handles' graceful drain (the shutdown phase before the clients') leaves the clients' connections alone: a
 * request a draining handle connection still forwards through a client must find the client connected. The clients
 * close in their own, later phase.
 */
class ClientDrainTests {

    @Test
    void theGracefulDrainDoesNotCloseClientConnections() throws IOException {
        List<Socket> accepted = new CopyOnWriteArrayList<>();
        try (ServerSocket server = new ServerSocket(0, 10, InetAddress.getLoopbackAddress())) {
            Thread acceptor = new Thread(() -> {
                try {
                    while (true) {
                        accepted.add(server.accept());
                    }
                }
                catch (IOException ex) {
                    // closed: the test is over
                }
            }, "test-upstream");
            acceptor.setDaemon(true);
            acceptor.start();
            new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(AsyncIoAutoConfiguration.class))
                .withPropertyValues("async-io.clients.up.address=127.0.0.1:" + server.getLocalPort(),
                        "async-io.clients.up.framing.type=line")
                .run((context) -> {
                    ManagedAsyncIoClient client = context.getBean("up", ManagedAsyncIoClient.class);
                    await().atMost(Duration.ofSeconds(10)).until(() -> client.state() == ClientState.CONNECTED);
                    // Quiet period 0: every listed connection is closed at once; the drain returns when they are.
                    context.getBean(AsyncIoRegistry.class).drain(Duration.ofSeconds(5), Duration.ZERO, () -> {
                    });
                    assertThat(client.state()).isEqualTo(ClientState.CONNECTED);
                    assertThat(client.statistics().disconnects()).isZero();
                });
            for (Socket socket : accepted) {
                socket.close();
            }
        }
    }
}
