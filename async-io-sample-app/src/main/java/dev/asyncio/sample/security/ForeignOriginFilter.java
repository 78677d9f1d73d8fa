package dev.asyncio.sample.security;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.Locale;
import java.util.Set;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses, with {@code 403 Forbidden}, a write request ({@code POST}, {@code PUT}, {@code PATCH}, {@code DELETE}) to
 * the actuator that carries an {@code Origin} header naming another origin than the request's own (scheme, host and
 * port), or the opaque origin {@code null}. Browsers send {@code Origin} with such requests, so a page on another
 * site cannot close or re-open handles with the admin's cached Basic credentials; the dashboard (same origin) and
 * clients without {@code Origin} (curl, scripts) are unaffected. CSRF tokens would do the same for cookie sessions;
 * this server has none.
 */
final class ForeignOriginFilter extends OncePerRequestFilter {

    private static final Set<String> WRITES = Set.of("POST", "PUT", "PATCH", "DELETE");

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        return !WRITES.contains(request.getMethod().toUpperCase(Locale.ROOT))
                || !request.getRequestURI().startsWith(request.getContextPath() + "/actuator");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String origin = request.getHeader(HttpHeaders.ORIGIN);
        if (origin != null && !sameOrigin(origin, request)) {
            response.sendError(HttpStatus.FORBIDDEN.value(), "Cross-origin write requests to the actuator are refused");
            return;
        }
        chain.doFilter(request, response);
    }

    /**
     * @param origin  the {@code Origin} header
     * @param request the request
     * @return whether the origin is the request's own: same scheme, host and (default-resolved) port
     */
    static boolean sameOrigin(String origin, HttpServletRequest request) {
        URI uri;
        try {
            uri = new URI(origin.trim());
        } catch (URISyntaxException malformed) {
            return false;
        }
        if (uri.getScheme() == null || uri.getHost() == null) {
            return false; // "null" (opaque origins: sandboxed frames, file: pages) and garbage
        }
        String scheme = uri.getScheme().toLowerCase(Locale.ROOT);
        return scheme.equals(request.getScheme().toLowerCase(Locale.ROOT))
                && hostOf(uri.getHost()).equalsIgnoreCase(hostOf(request.getServerName()))
                && port(scheme, uri.getPort()) == port(request.getScheme().toLowerCase(Locale.ROOT),
                        request.getServerPort());
    }

    private static String hostOf(String host) {
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    private static int port(String scheme, int port) {
        if (port >= 0) {
            return port;
        }
        return "https".equals(scheme) ? 443 : 80;
    }
}
