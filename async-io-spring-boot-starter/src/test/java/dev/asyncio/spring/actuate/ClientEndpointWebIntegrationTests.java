package dev.asyncio.spring.actuate;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import dev.asyncio.core.client.ClientException;
import dev.asyncio.core.client.ClientState;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAsyncIoClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.resttestclient.TestRestTemplate;
import org.springframework.boot.resttestclient.autoconfigure.AutoConfigureTestRestTemplate;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.core.ParameterizedTypeReference;
import org.springframework.http.HttpEntity;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

/**
 * The client paths of the {@code asyncio} endpoint and the {@code asyncioClients} health over HTTP: the list, one
 * client, disconnect and reconnect, unknown names; a client pointed at a handle of the same application
 * ({@code handle:kv}, an ephemeral port in this test) and one at a port where nothing listens.
 */
@SpringBootTest(classes = ClientEndpointWebIntegrationTests.ClientTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "async-io.handles.kv.port=6381", "async-io.handles.kv.address=127.0.0.1",
                "async-io.handles.kv.connection-function=upper", "async-io.handles.kv.framing.type=line",
                "async-io.clients.kv-upstream.address=handle:kv", "async-io.clients.kv-upstream.framing.type=line",
                "async-io.clients.kv-upstream.mode=pool", "async-io.clients.down.address=127.0.0.1:1",
                "async-io.clients.down.reconnect.initial-interval=50ms",
                "management.endpoints.web.exposure.include=asyncio,health",
                "management.endpoint.asyncio.access=unrestricted", "management.endpoint.health.show-details=always" })
@AutoConfigureTestRestTemplate
class ClientEndpointWebIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    @Qualifier("kv-upstream")
    private ManagedAsyncIoClient upstream;

    @Test
    void theListShowsEveryClient() {
        ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET, "/actuator/asyncio");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        List<Map<String, Object>> clients = list(response.getBody().get("clients"));
        assertThat(clients).extracting((c) -> c.get("name")).containsExactly("kv-upstream", "down");
        assertThat(clients.get(0)).containsEntry("mode", "pool")
            .containsEntry("collection", "default")
            .containsEntry("addresses", List.of("handle:kv"))
            .containsKey("statistics");
    }

    @Test
    void oneClientAndUnknownNames() throws Exception {
        request("x");
        ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET, "/actuator/asyncio/clients/kv-upstream");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(response.getBody()).containsEntry("name", "kv-upstream").containsEntry("state", "connected");
        assertThat(response.getBody()).extractingByKey("statistics")
            .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
            .containsKeys("connects", "openConnections", "idleConnections", "pendingAcquires", "lateReplies");
        // The handle listens on an ephemeral port in a test, and handle:kv found it.
        assertThat((String) response.getBody().get("address")).doesNotEndWith(":6381");
        for (String path : List.of("/actuator/asyncio/clients/nope", "/actuator/asyncio/handles/kv-upstream")) {
            assertThat(call(HttpMethod.GET, path).getStatusCode()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(call(HttpMethod.DELETE, path).getStatusCode()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
            assertThat(call(HttpMethod.POST, path).getStatusCode()).as(path).isEqualTo(HttpStatus.NOT_FOUND);
        }
    }

    @Test
    void disconnectThenReconnect() throws Exception {
        assertThat(request("a")).isEqualTo("A");
        ResponseEntity<Map<String, Object>> disconnected = call(HttpMethod.DELETE,
                "/actuator/asyncio/clients/kv-upstream");
        assertThat(disconnected.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(disconnected.getBody()).containsEntry("name", "kv-upstream");
        // The client disconnects on its loop: the answer may still show the state before.
        await().atMost(Duration.ofSeconds(10)).until(() -> this.upstream.state() == ClientState.DISCONNECTED);
        assertThat(call(HttpMethod.GET, "/actuator/asyncio/clients/kv-upstream").getBody()).containsEntry("state",
                "disconnected");
        assertThatThrownBy(() -> request("b")).hasCauseInstanceOf(ClientException.class);
        ResponseEntity<Map<String, Object>> health = call(HttpMethod.GET, "/actuator/health/asyncioClients/kv-upstream");
        assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
        assertThat(health.getBody()).containsEntry("status", "OUT_OF_SERVICE");
        ResponseEntity<Map<String, Object>> reconnected = call(HttpMethod.POST, "/actuator/asyncio/clients/kv-upstream");
        assertThat(reconnected.getStatusCode()).isEqualTo(HttpStatus.OK);
        assertThat(request("c")).isEqualTo("C");
        assertThat(this.upstream.state()).isIn(ClientState.CONNECTED, ClientState.IDLE);
    }

    @Test
    void anUnreachableClientIsDownInItsHealthChild() {
        await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
            ResponseEntity<Map<String, Object>> health = call(HttpMethod.GET, "/actuator/health/asyncioClients/down");
            assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(health.getBody()).containsEntry("status", "DOWN");
            assertThat(health.getBody()).extractingByKey("details")
                .asInstanceOf(org.assertj.core.api.InstanceOfAssertFactories.MAP)
                .containsKeys("lastError", "consecutiveFailures", "addresses", "state");
        });
    }

    private String request(String text) throws InterruptedException, ExecutionException,
            java.util.concurrent.TimeoutException {
        byte[] reply = this.upstream.request(text.getBytes(StandardCharsets.UTF_8)).get(10, TimeUnit.SECONDS);
        return new String(reply, StandardCharsets.UTF_8);
    }

    private ResponseEntity<Map<String, Object>> call(HttpMethod method, String path) {
        HttpHeaders headers = new HttpHeaders();
        HttpEntity<String> entity;
        if (method == HttpMethod.POST) {
            headers.setContentType(MediaType.APPLICATION_JSON);
            entity = new HttpEntity<>("{}", headers);
        }
        else {
            entity = new HttpEntity<>(headers);
        }
        return this.rest.exchange(path, method, entity, JSON);
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> list(Object value) {
        return (List<Map<String, Object>>) value;
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class ClientTestApplication {

        @Bean
        FrameHandler upper() {
            return (connection, frame) -> {
                byte[] bytes = new byte[frame.remaining()];
                frame.get(bytes);
                connection.reply(new String(bytes, StandardCharsets.UTF_8).toUpperCase()
                    .getBytes(StandardCharsets.UTF_8));
            };
        }
    }
}
