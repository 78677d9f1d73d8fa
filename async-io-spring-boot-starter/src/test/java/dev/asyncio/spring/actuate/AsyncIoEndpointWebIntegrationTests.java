package dev.asyncio.spring.actuate;

import java.io.IOException;
import java.util.List;
import java.util.Map;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.test.EchoClient;
import dev.asyncio.spring.test.EchoConnectionFunction;
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
import static org.awaitility.Awaitility.await;

/** Every operation of the {@code asyncio} endpoint over HTTP, against real handles on ephemeral ports. */
@SpringBootTest(classes = AsyncIoEndpointWebIntegrationTests.EndpointTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
                "async-io.handles.echo.queue-output=true", "async-io.handles.listed.port=0",
                "async-io.handles.listed.address=127.0.0.1", "async-io.handles.listed.queue-output=true",
                "async-io.handles.traffic.port=0", "async-io.handles.traffic.address=127.0.0.1",
                "async-io.handles.traffic.queue-output=true", "async-io.handles.abortable.port=0",
                "async-io.handles.abortable.address=127.0.0.1", "async-io.handles.abortable.queue-output=true",
                "management.endpoints.web.exposure.include=asyncio,health,metrics",
                "management.endpoint.asyncio.access=unrestricted", "management.endpoint.health.show-details=always",
                "spring.lifecycle.timeout-per-shutdown-phase=5s" })
@AutoConfigureTestRestTemplate
class AsyncIoEndpointWebIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private TestRestTemplate rest;

    @Autowired
    private AsyncIoRegistry registry;

    @Autowired
    @Qualifier("echo")
    private ManagedAcceptingHandle echo;

    @Autowired
    @Qualifier("listed")
    private ManagedAcceptingHandle listed;

    @Autowired
    @Qualifier("traffic")
    private ManagedAcceptingHandle traffic;

    @Autowired
    @Qualifier("abortable")
    private ManagedAcceptingHandle abortable;

    @Test
    void listShowsCollectionsAndHandles() {
        ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET, "/actuator/asyncio");
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        List<Map<String, Object>> handles = list(response.getBody().get("handles"));
        assertThat(handles).extracting((h) -> h.get("name"))
            .contains("echo", "listed", "traffic", "abortable", "adopted");
        Map<String, Object> listedHandle = handles.stream().filter((h) -> "listed".equals(h.get("name"))).findFirst()
            .orElseThrow();
        assertThat(listedHandle).containsEntry("collection", "listed")
            .containsEntry("address", "127.0.0.1")
            .containsEntry("port", this.listed.localPort())
            .containsEntry("open", true)
            .containsKeys("activeConnections", "acceptedConnections", "bytesRead", "bytesWritten");
        List<Map<String, Object>> collections = list(response.getBody().get("collections"));
        assertThat(collections).extracting((c) -> c.get("name")).contains("listed", "echo");
        assertThat(collections.get(0)).containsEntry("alive", true);
    }

    @Test
    void oneHandleShowsTheFirstConnectionsAndTheTotal() {
        try (EchoClient first = EchoClient.connect(this.listed.localPort());
                EchoClient second = EchoClient.connect(this.listed.localPort())) {
            assertThat(first.echo("a")).isEqualTo("a");
            assertThat(second.echo("bc")).isEqualTo("bc");
            ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET, "/actuator/asyncio/listed?limit=1");
            assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(response.getBody()).containsEntry("totalConnections", 2);
            List<Map<String, Object>> connections = list(response.getBody().get("connections"));
            assertThat(connections).hasSize(1);
            assertThat((String) connections.get(0).get("peer")).startsWith("127.0.0.1:");
            assertThat(connections.get(0)).containsKeys("ageMillis", "bytesRead", "bytesWritten", "readStatus",
                    "writeStatus", "queuedOutput");
            ResponseEntity<Map<String, Object>> all = call(HttpMethod.GET, "/actuator/asyncio/listed");
            assertThat(all.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(list(all.getBody().get("connections"))).hasSize(2);
            assertThat(all.getBody()).extractingByKey("handle").asInstanceOf(
                    org.assertj.core.api.InstanceOfAssertFactories.MAP).containsEntry("name", "listed");
        }
    }

    @Test
    void unknownHandleIsNotFound() {
        assertThat(call(HttpMethod.GET, "/actuator/asyncio/nope").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/nope").getStatusCode())
            .isEqualTo(HttpStatus.NOT_FOUND);
        assertThat(call(HttpMethod.POST, "/actuator/asyncio/nope").getStatusCode()).isEqualTo(HttpStatus.NOT_FOUND);
    }

    @Test
    void badParametersAreBadRequests() {
        assertThat(call(HttpMethod.GET, "/actuator/asyncio/listed?limit=-1").getStatusCode())
            .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(call(HttpMethod.GET, "/actuator/asyncio/listed?limit=many").getStatusCode())
            .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/listed?connections=maybe").getStatusCode())
            .isEqualTo(HttpStatus.BAD_REQUEST);
        assertThat(this.listed.isOpen()).isTrue();
    }

    @Test
    void closeRefusesNewConnectionsKeepsExistingOnesAndReopenAcceptsAgain() {
        int port = this.echo.localPort();
        try (EchoClient existing = EchoClient.connect(port)) {
            assertThat(existing.echo("before")).isEqualTo("before");

            ResponseEntity<Map<String, Object>> closed = call(HttpMethod.DELETE,
                    "/actuator/asyncio/echo?connections=keep");
            assertThat(closed.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(closed.getBody()).containsEntry("status", "closed").containsEntry("open", false);
            assertThat(EchoClient.isRefused(port)).isTrue();
            assertThat(existing.echo("still here")).isEqualTo("still here");

            ResponseEntity<Map<String, Object>> health = call(HttpMethod.GET, "/actuator/health/asyncio");
            assertThat(health.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
            assertThat(health.getBody()).containsEntry("status", "OUT_OF_SERVICE");

            ResponseEntity<Map<String, Object>> reopened = call(HttpMethod.POST, "/actuator/asyncio/echo");
            assertThat(reopened.getStatusCode()).isEqualTo(HttpStatus.OK);
            assertThat(reopened.getBody()).containsEntry("status", "open").containsEntry("port", port);
            try (EchoClient fresh = EchoClient.connect(port)) {
                assertThat(fresh.echo("again")).isEqualTo("again");
            }
            assertThat(existing.echo("and me")).isEqualTo("and me");
            assertThat(this.echo.statistics().accepted()).isGreaterThanOrEqualTo(2);
        }
    }

    @Test
    void closeWithAbortEndsTheConnections() throws IOException {
        try (EchoClient client = EchoClient.connect(this.abortable.localPort())) {
            assertThat(client.echo("x")).isEqualTo("x");
            ResponseEntity<Map<String, Object>> closed = call(HttpMethod.DELETE,
                    "/actuator/asyncio/abortable?connections=abort");
            assertThat(closed.getStatusCode()).isEqualTo(HttpStatus.OK);
            // The peer sees end of stream or a reset, never a hang.
            try {
                assertThat(client.input().read()).isEqualTo(-1);
            }
            catch (java.net.SocketException reset) {
                assertThat(reset).isNotInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
        await().untilAsserted(() -> assertThat(this.abortable.connectionCount()).isZero());
    }

    @Test
    void closingAgainWithAbortEndsConnectionsThatAnEarlierCloseKept() throws IOException {
        try (EchoClient client = EchoClient.connect(this.echo.localPort())) {
            assertThat(client.echo("kept")).isEqualTo("kept");
            assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/echo?connections=keep").getStatusCode())
                .isEqualTo(HttpStatus.OK);
            assertThat(client.echo("still here")).isEqualTo("still here");
            // The listener is closed already; the operator now wants the kept connections gone too.
            assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/echo?connections=abort").getStatusCode())
                .isEqualTo(HttpStatus.OK);
            try {
                assertThat(client.input().read()).isEqualTo(-1);
            }
            catch (java.net.SocketException reset) {
                assertThat(reset).isNotInstanceOf(java.net.SocketTimeoutException.class);
            }
        }
        finally {
            call(HttpMethod.POST, "/actuator/asyncio/echo");
        }
        await().untilAsserted(() -> assertThat(this.echo.connectionCount()).isZero());
    }

    @Test
    void anAdoptedHandleIsReopenedOnItsPort() {
        int port = this.registry.handle("adopted").localPort();
        assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/adopted").getStatusCode()).isEqualTo(HttpStatus.OK);
        await().untilAsserted(() -> assertThat(EchoClient.isRefused(port)).isTrue());
        ResponseEntity<Map<String, Object>> reopened = call(HttpMethod.POST, "/actuator/asyncio/adopted");
        assertThat(reopened.getStatusCode()).isEqualTo(HttpStatus.OK);
        try (EchoClient client = EchoClient.connect(port)) {
            assertThat(client.echo("again")).isEqualTo("again");
        }
    }

    @Test
    void metersChangeAsTrafficFlows() {
        double readBefore = meter("asyncio.bytes.read", "traffic");
        double acceptedBefore = meter("asyncio.connections.accepted", "traffic");
        try (EchoClient client = EchoClient.connect(this.traffic.localPort())) {
            String payload = "x".repeat(1000);
            assertThat(client.echo(payload)).isEqualTo(payload);
            await().untilAsserted(() -> {
                assertThat(meter("asyncio.bytes.read", "traffic")).isEqualTo(readBefore + 1000);
                assertThat(meter("asyncio.bytes.written", "traffic")).isGreaterThanOrEqualTo(1000);
                assertThat(meter("asyncio.connections.accepted", "traffic")).isEqualTo(acceptedBefore + 1);
                assertThat(meter("asyncio.connections.active", "traffic")).isEqualTo(1);
            });
        }
        await().untilAsserted(() -> assertThat(meter("asyncio.connections.active", "traffic")).isZero());
    }

    @Test
    void readOnlyAccessIsTheDefault() {
        assertThat(dev.asyncio.spring.actuate.endpoint.AsyncIoEndpoint.class
            .getAnnotation(org.springframework.boot.actuate.endpoint.annotation.Endpoint.class)
            .defaultAccess()).isEqualTo(org.springframework.boot.actuate.endpoint.Access.READ_ONLY);
    }

    private double meter(String name, String handle) {
        ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET,
                "/actuator/metrics/" + name + "?tag=handle:" + handle);
        assertThat(response.getStatusCode()).isEqualTo(HttpStatus.OK);
        List<Map<String, Object>> measurements = list(response.getBody().get("measurements"));
        return ((Number) measurements.get(0).get("value")).doubleValue();
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
    static class EndpointTestApplication {

        @Bean
        ConnectionFunction echoFunction() {
            return new EchoConnectionFunction();
        }

        @Bean(destroyMethod = "close")
        WaitStateCollection adoptedLoop() {
            return WaitStateCollection.createAndRun("adopted-loop");
        }

        /** A handle the application binds itself; the starter adopts it on start. */
        @Bean
        AcceptingHandle adopted(WaitStateCollection adoptedLoop) {
            return adoptedLoop.acceptTcpConnections("0", new EchoConnectionFunction(),
                    AcceptOptions.builder().address("127.0.0.1").handleName("adopted").queueOutput(true).build());
        }
    }
}
