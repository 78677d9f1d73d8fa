package dev.asyncio.sample.security;

import org.springframework.security.authentication.AuthenticationManager;
import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.authentication.dao.DaoAuthenticationProvider;
import org.springframework.security.core.userdetails.UserDetailsPasswordService;
import org.springframework.security.core.userdetails.UserDetailsService;

/**
 * The sample's guards around HTTP Basic authentication ({@code sample.security.*}): the login throttle, the cache of
 * verified credentials, and the filters that apply them. One per application; thread-safe.
 */
public final class HttpGuard {

    private final HttpGuardProperties properties;
    private final LoginThrottle throttle;
    private final VerifiedCredentialCache credentials;
    private volatile CachingAuthenticationProvider provider;

    /** @param properties the settings */
    public HttpGuard(HttpGuardProperties properties) {
        this.properties = properties;
        this.throttle = new LoginThrottle(properties.maxLoginFailures(), properties.failureWindow(),
                properties.maxTrackedSources(), System::nanoTime);
        this.credentials = new VerifiedCredentialCache(properties.credentialCacheTtl(), System::nanoTime);
    }

    /**
     * The authentication manager of the filter chain: Spring's check of {@code users}' passwords with the delegating
     * password encoder (as Spring Boot would set it up, upgrading stored passwords' encoding), behind the cache.
     *
     * @param users the users ({@code spring.security.user.*})
     * @return the manager
     */
    AuthenticationManager authenticationManager(UserDetailsService users) {
        DaoAuthenticationProvider dao = new DaoAuthenticationProvider(users);
        if (users instanceof UserDetailsPasswordService passwords) {
            dao.setUserDetailsPasswordService(passwords);
        }
        CachingAuthenticationProvider caching = new CachingAuthenticationProvider(dao, credentials);
        provider = caching;
        return new ProviderManager(caching);
    }

    /** @return the filter that answers 429 to sources that failed too often */
    LoginThrottleFilter throttleFilter() {
        return new LoginThrottleFilter(throttle, properties.failureWindow());
    }

    /** @return the filter that refuses cross-origin write requests to the actuator */
    ForeignOriginFilter originFilter() {
        return new ForeignOriginFilter();
    }

    /** @return credential checks that reached the password encoder so far (cache misses and wrong credentials) */
    public long passwordEncoderChecks() {
        CachingAuthenticationProvider p = provider;
        return p == null ? 0 : p.delegatedChecks();
    }
}
