package dev.asyncio.sample.security;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the sample guards its HTTP side ({@code sample.security.*}) beyond Spring Security's rules: the throttle on
 * wrong passwords and the cache of verified credentials.
 *
 * @param maxLoginFailures  wrong Basic-auth credentials one source address may send per {@code failureWindow};
 *                          after that it gets {@code 429 Too Many Requests} until the window ends, without its
 *                          credentials being checked
 * @param failureWindow     the window of {@code maxLoginFailures}
 * @param maxTrackedSources the most source addresses whose failures are counted one by one; beyond that, new sources
 *                          share one count (so a crowd of addresses is throttled together, and memory stays bounded)
 * @param credentialCacheTtl how long a username and password that the password encoder (bcrypt…) verified are
 *                          accepted again after a cheap hash comparison instead of the encoder's slow check
 */
@ConfigurationProperties("sample.security")
public record HttpGuardProperties(@DefaultValue("10") int maxLoginFailures, @DefaultValue("1m") Duration failureWindow,
        @DefaultValue("10000") int maxTrackedSources, @DefaultValue("5m") Duration credentialCacheTtl) {

    /**
     * Checks the values.
     *
     * @param maxLoginFailures   failures per window per source; positive
     * @param failureWindow      positive
     * @param maxTrackedSources  positive
     * @param credentialCacheTtl zero or positive; zero turns the cache off
     * @throws IllegalArgumentException naming the {@code sample.security.*} property that is out of range
     */
    public HttpGuardProperties {
        if (maxLoginFailures <= 0) {
            throw new IllegalArgumentException("sample.security.max-login-failures must be positive, got "
                    + maxLoginFailures);
        }
        if (failureWindow == null || failureWindow.isNegative() || failureWindow.isZero()) {
            throw new IllegalArgumentException("sample.security.failure-window must be positive, got "
                    + failureWindow);
        }
        if (maxTrackedSources <= 0) {
            throw new IllegalArgumentException("sample.security.max-tracked-sources must be positive, got "
                    + maxTrackedSources);
        }
        if (credentialCacheTtl == null || credentialCacheTtl.isNegative()) {
            throw new IllegalArgumentException("sample.security.credential-cache-ttl must not be negative, got "
                    + credentialCacheTtl);
        }
    }
}
