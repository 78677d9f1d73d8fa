package dev.asyncio.sample.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The HTTP access rules with a user who is not an admin: reading works, closing and re-opening handles is
 * forbidden, health and the dashboard need no credentials.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
        "async-io.handles.kv.port=0", "async-io.handles.kv.address=127.0.0.1",
        "spring.security.user.name=viewer", "spring.security.user.password=view-only",
        "spring.security.user.roles=VIEWER", "spring.main.banner-mode=off"})
class SecurityRulesTest {

    private static final String VIEWER = "Basic "
            + Base64.getEncoder().encodeToString("viewer:view-only".getBytes(StandardCharsets.UTF_8));

    @LocalServerPort
    private int port;

    private int status(String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    @Test
    void viewersReadButCannotCloseOrReopen() throws Exception {
        assertThat(status("GET", "/actuator/asyncio", VIEWER)).isEqualTo(200);
        assertThat(status("GET", "/actuator/asyncio/echo", VIEWER)).isEqualTo(200);
        assertThat(status("DELETE", "/actuator/asyncio/echo", VIEWER)).isEqualTo(403);
        assertThat(status("POST", "/actuator/asyncio/echo", VIEWER)).isEqualTo(403);
        assertThat(status("GET", "/actuator/asyncio", null)).isEqualTo(401);
    }

    @Test
    void healthAndDashboardAreOpen() throws Exception {
        assertThat(status("GET", "/actuator/health", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/health/readiness", null)).isEqualTo(200);
        assertThat(status("GET", "/", null)).isEqualTo(200);
        assertThat(status("GET", "/dashboard.js", null)).isEqualTo(200);
        assertThat(status("GET", "/actuator/metrics", null)).isEqualTo(401);
    }

    @Test
    void javascriptGetsNoBrowserLoginChallenge() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/asyncio"))
                .header("X-Requested-With", "XMLHttpRequest").build();
        HttpResponse<Void> response = HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding());
        assertThat(response.statusCode()).isEqualTo(401);
        assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
    }
}
