package dev.asyncio.sample.security;

import java.util.concurrent.atomic.AtomicLong;

import org.springframework.security.authentication.AuthenticationProvider;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.AuthenticationException;

/**
 * Username and password authentication that runs the slow password encoder (Spring's delegating encoder: bcrypt for
 * {@code {bcrypt}} passwords) once per user and time to live, and a constant-time HMAC comparison after that
 * ({@link VerifiedCredentialCache}). Wrong credentials always go to the delegate, which rejects them; the login
 * throttle keeps guessing from costing a bcrypt each.
 *
 * <p>Not a bean on purpose: a bean of type {@link AuthenticationProvider} would switch off Spring Boot's user from
 * {@code spring.security.user.*}. Thread-safe.
 */
final class CachingAuthenticationProvider implements AuthenticationProvider {

    private final AuthenticationProvider delegate;
    private final VerifiedCredentialCache cache;
    private final AtomicLong delegated = new AtomicLong();

    /**
     * @param delegate the provider that checks credentials with the password encoder
     * @param cache    the credentials it verified
     */
    CachingAuthenticationProvider(AuthenticationProvider delegate, VerifiedCredentialCache cache) {
        this.delegate = delegate;
        this.cache = cache;
    }

    @Override
    public Authentication authenticate(Authentication authentication) throws AuthenticationException {
        String username = authentication.getName();
        Object credentials = authentication.getCredentials();
        String password = credentials instanceof String s ? s : null;
        if (username != null && password != null) {
            Authentication known = cache.lookup(username, password);
            if (known != null) {
                return known;
            }
        }
        delegated.incrementAndGet();
        Authentication result = delegate.authenticate(authentication);
        if (result != null && result.isAuthenticated() && username != null && password != null) {
            cache.remember(username, password, result);
        }
        return result;
    }

    @Override
    public boolean supports(Class<?> authentication) {
        return UsernamePasswordAuthenticationToken.class.isAssignableFrom(authentication);
    }

    /** @return credential checks handed to the password encoder (cache misses and wrong credentials) */
    long delegatedChecks() {
        return delegated.get();
    }
}
