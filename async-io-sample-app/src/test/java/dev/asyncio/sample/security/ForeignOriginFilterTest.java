package dev.asyncio.sample.security;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.springframework.mock.web.MockHttpServletRequest;

/** What counts as the request's own origin. */
class ForeignOriginFilterTest {

    private static MockHttpServletRequest request(String scheme, String host, int port) {
        MockHttpServletRequest r = new MockHttpServletRequest("DELETE", "/actuator/asyncio/echo");
        r.setScheme(scheme);
        r.setServerName(host);
        r.setServerPort(port);
        return r;
    }

    @Test
    void sameSchemeHostAndPortIsSameOrigin() {
        assertThat(ForeignOriginFilter.sameOrigin("http://127.0.0.1:8080", request("http", "127.0.0.1", 8080)))
                .isTrue();
        assertThat(ForeignOriginFilter.sameOrigin("http://LOCALHOST:8080", request("http", "localhost", 8080)))
                .isTrue();
        assertThat(ForeignOriginFilter.sameOrigin("https://example.org", request("https", "example.org", 443)))
                .as("default port").isTrue();
        assertThat(ForeignOriginFilter.sameOrigin("http://[::1]:8080", request("http", "[::1]", 8080))).isTrue();
    }

    @Test
    void anythingElseIsForeign() {
        MockHttpServletRequest r = request("http", "127.0.0.1", 8080);
        assertThat(ForeignOriginFilter.sameOrigin("http://evil.example", r)).isFalse();
        assertThat(ForeignOriginFilter.sameOrigin("http://127.0.0.1:8081", r)).as("port").isFalse();
        assertThat(ForeignOriginFilter.sameOrigin("https://127.0.0.1:8080", r)).as("scheme").isFalse();
        assertThat(ForeignOriginFilter.sameOrigin("http://127.0.0.1.evil.example:8080", r)).isFalse();
        assertThat(ForeignOriginFilter.sameOrigin("null", r)).as("opaque origin").isFalse();
        assertThat(ForeignOriginFilter.sameOrigin("::garbage::", r)).isFalse();
    }
}
