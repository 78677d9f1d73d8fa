package dev.asyncio.sample.security;

import java.io.IOException;
import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.time.Duration;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.web.filter.OncePerRequestFilter;

import dev.asyncio.sample.logging.RateLimitedLog;

/**
 * Throttles password guessing over HTTP Basic: runs before Spring Security's Basic filter, and a source address that
 * sent {@code sample.security.max-login-failures} wrong credentials within {@code sample.security.failure-window}
 * gets {@code 429 Too Many Requests} (with {@code Retry-After}) for every request that carries credentials until the
 * window ends, without the password encoder running. A request is a failure when it carried Basic credentials and was
 * answered 401; while one is being checked it counts as a failure, so a burst of concurrent guesses cannot all reach
 * the encoder before the first is counted. Failures are logged at WARN: a source's first failure in a window and the one that gets it
 * throttled, and never more than one line a second in all.
 *
 * <p>The source is the connection's remote address ({@link HttpServletRequest#getRemoteAddr()}; behind a proxy,
 * configure {@code server.forward-headers-strategy} so that it is the client's).
 */
final class LoginThrottleFilter extends OncePerRequestFilter {

    private static final Logger LOG = System.getLogger(LoginThrottleFilter.class.getName());

    private final LoginThrottle throttle;
    private final long retryAfterSeconds;
    private final RateLimitedLog failures = new RateLimitedLog(LOG, Level.WARNING, Duration.ofSeconds(1));

    /**
     * @param throttle the failure counts
     * @param window   the failure window, for {@code Retry-After}
     */
    LoginThrottleFilter(LoginThrottle throttle, Duration window) {
        this.throttle = throttle;
        this.retryAfterSeconds = Math.max(1, window.toSeconds());
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String authorization = request.getHeader(HttpHeaders.AUTHORIZATION);
        boolean basic = authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6);
        if (!basic) {
            chain.doFilter(request, response);
            return;
        }
        String source = request.getRemoteAddr();
        if (!throttle.tryBegin(source)) {
            response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfterSeconds));
            response.sendError(HttpStatus.TOO_MANY_REQUESTS.value(), "Too many failed sign-ins from this address");
            return;
        }
        boolean failed = false;
        try {
            chain.doFilter(request, response);
            failed = response.getStatus() == HttpStatus.UNAUTHORIZED.value();
        } finally {
            if (failed) {
                int count = throttle.failed(source);
                if (count == 1 || count == throttle.maxFailures()) {
                    String uri = request.getRequestURI();
                    failures.log(() -> "HTTP Basic sign-in failed from " + source + " (" + request.getMethod() + " "
                            + uri + "): " + count + " failure(s) in the current window" + (count >= throttle
                                    .maxFailures() ? "; further attempts get 429 until the window ends" : ""));
                }
            } else {
                throttle.succeeded(source);
            }
        }
    }
}
