package dev.asyncio.spring.actuate;

import java.util.Map;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.test.EchoConnectionFunction;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
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

/**
 * The health semantics docs/starter.md states ("Health indicator asyncio"): {@code /actuator/health/asyncio} answers once components are shown
 * ({@code show-components: always} shows names and statuses, no details); an operator closing a handle turns {@code asyncio} and the root status OUT_OF_SERVICE (503), liveness stays UP,
 * readiness changes only when the application adds {@code asyncio} to the readiness group.
 */
@SpringBootTest(classes = AsyncIoHealthWebIntegrationTests.HealthTestApplication.class,
        webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = { "async-io.ephemeral-ports=true", "async-io.handles.echo.port=7000",
                "async-io.handles.echo.address=127.0.0.1", "async-io.handles.echo.queue-output=true",
                "management.endpoints.web.exposure.include=asyncio,health",
                "management.endpoint.asyncio.access=unrestricted", "management.endpoint.health.probes.enabled=true",
                "management.endpoint.health.show-components=always",
                "spring.lifecycle.timeout-per-shutdown-phase=5s" })
@AutoConfigureTestRestTemplate
class AsyncIoHealthWebIntegrationTests {

    private static final ParameterizedTypeReference<Map<String, Object>> JSON = new ParameterizedTypeReference<>() {
    };

    @Autowired
    private TestRestTemplate rest;

    @Test
    void closingAHandleIsOutOfServiceButNeverFailsLiveness() {
        assertStatus("/actuator/health/asyncio", HttpStatus.OK, "UP");
        assertThat(call(HttpMethod.DELETE, "/actuator/asyncio/echo").getStatusCode()).isEqualTo(HttpStatus.OK);
        try {
            assertStatus("/actuator/health/asyncio", HttpStatus.SERVICE_UNAVAILABLE, "OUT_OF_SERVICE");
            assertStatus("/actuator/health", HttpStatus.SERVICE_UNAVAILABLE, "OUT_OF_SERVICE");
            assertStatus("/actuator/health/liveness", HttpStatus.OK, "UP");
            assertStatus("/actuator/health/readiness", HttpStatus.OK, "UP");
        }
        finally {
            assertThat(call(HttpMethod.POST, "/actuator/asyncio/echo").getStatusCode()).isEqualTo(HttpStatus.OK);
        }
        assertStatus("/actuator/health/asyncio", HttpStatus.OK, "UP");
        assertStatus("/actuator/health", HttpStatus.OK, "UP");
    }

    private void assertStatus(String path, HttpStatus code, String status) {
        ResponseEntity<Map<String, Object>> response = call(HttpMethod.GET, path);
        assertThat(response.getStatusCode()).as(path).isEqualTo(code);
        assertThat(response.getBody()).as(path).containsEntry("status", status);
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

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    static class HealthTestApplication {

        @Bean
        ConnectionFunction echoFunction() {
            return new EchoConnectionFunction();
        }
    }
}
