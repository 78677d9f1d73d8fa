package dev.asyncio.sample.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The guards around the actuator's Basic authentication, over real HTTP: a bcrypt-checked password is checked by
 * bcrypt once, then cheaply; wrong passwords from one address are answered 429 after {@code max-login-failures},
 * without bcrypt; write requests with a foreign {@code Origin} are refused. Each scenario talks from its own
 * loopback address (127.0.0.x), as the throttle counts per address.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT, properties = {
        "async-io.handles.echo.port=0", "async-io.handles.echo.address=127.0.0.1",
        "async-io.handles.tls-echo.port=0", "async-io.handles.tls-echo.address=127.0.0.1",
        "async-io.handles.kv.port=0", "async-io.handles.kv.address=127.0.0.1", "sample.udp-echo.port=0",
        "sample.udp-echo.address=127.0.0.1", "spring.security.user.name=admin", "spring.security.user.roles=ADMIN",
        "sample.security.max-login-failures=3", "spring.main.banner-mode=off"})
class HttpGuardTest {

    private static final String PASSWORD = "right-password";

    @DynamicPropertySource
    static void bcryptPassword(DynamicPropertyRegistry registry) {
        // Encoded as an operator would store it, so every check by the password encoder costs a bcrypt.
        String encoded = "{bcrypt}" + new BCryptPasswordEncoder(4).encode(PASSWORD);
        registry.add("spring.security.user.password", () -> encoded);
    }

    @LocalServerPort
    private int port;

    @Autowired
    private HttpGuard guard;

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    /** One HTTP/1.1 request from {@code from} (a loopback address), by hand: returns the status code. */
    private int status(String from, String method, String path, String authorization, String origin)
            throws IOException {
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(InetAddress.getByName(from), 0));
            s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
            s.setSoTimeout(30_000);
            StringBuilder request = new StringBuilder(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: 127.0.0.1:").append(port).append("\r\nConnection: close\r\nContent-Length: 0\r\n");
            if (authorization != null) {
                request.append("Authorization: ").append(authorization).append("\r\n");
            }
            if (origin != null) {
                request.append("Origin: ").append(origin).append("\r\n");
            }
            OutputStream out = s.getOutputStream();
            out.write(request.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            String statusLine = new String(in.readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(statusLine.substring(9, 12));
        }
    }

    @Test
    void theRightPasswordIsCheckedByTheEncoderOnceThenCheaply() throws Exception {
        long before = guard.passwordEncoderChecks();
        for (int i = 0; i < 5; i++) {
            assertThat(status("127.0.0.2", "GET", "/actuator/asyncio", basic("admin", PASSWORD), null))
                    .isEqualTo(200);
        }
        assertThat(guard.passwordEncoderChecks() - before).as("bcrypt checks for 5 requests").isEqualTo(1);
        assertThat(status("127.0.0.2", "GET", "/actuator/asyncio", basic("admin", "wrong"), null))
                .as("a wrong password is not accepted from the cache").isEqualTo(401);
    }

    @Test
    void wrongPasswordsFromOneAddressGet429WithoutTheEncoderRunning() throws Exception {
        String guesser = "127.0.0.3";
        long before = guard.passwordEncoderChecks();
        for (int i = 0; i < 3; i++) {
            assertThat(status(guesser, "GET", "/actuator/asyncio", basic("admin", "guess-" + i), null))
                    .isEqualTo(401);
        }
        for (int i = 0; i < 20; i++) {
            assertThat(status(guesser, "GET", "/actuator/asyncio", basic("admin", "guess-" + i), null))
                    .isEqualTo(429);
        }
        assertThat(status(guesser, "GET", "/actuator/asyncio", basic("admin", PASSWORD), null))
                .as("until the window ends, even the right password").isEqualTo(429);
        assertThat(guard.passwordEncoderChecks() - before).as("only the first 3 guesses reached bcrypt")
                .isEqualTo(3);
        assertThat(status("127.0.0.4", "GET", "/actuator/asyncio", basic("admin", PASSWORD), null))
                .as("other addresses are not affected").isEqualTo(200);
        assertThat(status(guesser, "GET", "/actuator/health", null, null)).as("no credentials, no throttle")
                .isEqualTo(200);
    }

    @Test
    void writeRequestsWithAForeignOriginAreRefused() throws Exception {
        String admin = basic("admin", PASSWORD);
        String from = "127.0.0.5";
        assertThat(status(from, "DELETE", "/actuator/asyncio/echo", admin, "http://evil.example")).isEqualTo(403);
        assertThat(status(from, "POST", "/actuator/asyncio/echo", admin, "http://evil.example")).isEqualTo(403);
        assertThat(status(from, "DELETE", "/actuator/asyncio/echo", admin, "null")).isEqualTo(403);
        assertThat(status(from, "DELETE", "/actuator/asyncio/echo", admin, "http://127.0.0.1:" + (port + 1)))
                .isEqualTo(403);
        assertThat(status(from, "GET", "/actuator/asyncio/echo", admin, "http://evil.example"))
                .as("reads are not write operations").isEqualTo(200);
        // Same origin (the dashboard) and no Origin (curl) still work.
        assertThat(status(from, "DELETE", "/actuator/asyncio/echo", admin, "http://127.0.0.1:" + port))
                .isBetween(200, 299);
        assertThat(status(from, "POST", "/actuator/asyncio/echo", admin, null)).isBetween(200, 299);
    }
}
