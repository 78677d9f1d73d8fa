package dev.asyncio.sample.security;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.LongSupplier;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.springframework.security.core.Authentication;

/**
 * Usernames and passwords that the slow password encoder (bcrypt costs about 65 ms of CPU a check) has verified,
 * so that the next requests with the same credentials are accepted after a cheap check: an HMAC-SHA-256 of
 * {@code username:password} under a key made at random when the process starts, compared in constant time. The
 * password itself is not kept, and the digests are worthless outside this process.
 *
 * <p>Only successes are stored, so wrong guesses cannot fill it; it holds at most {@link #MAX_ENTRIES} users and
 * forgets an entry after its time to live (a changed password is checked by the encoder again then).
 *
 * <p>Thread-safe.
 */
final class VerifiedCredentialCache {

    /** The most users remembered; Basic-auth users of a sample's actuator are few. */
    static final int MAX_ENTRIES = 64;

    private final long ttlNanos;
    private final LongSupplier nanoClock;
    private final SecretKeySpec key;
    private final Map<String, Entry> entries = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, VerifiedCredentialCache.Entry> eldest) {
            return size() > MAX_ENTRIES;
        }
    };

    private record Entry(byte[] digest, Authentication result, long verifiedAt) {
    }

    /**
     * @param ttl       how long a verification is trusted; zero = never (no cache)
     * @param nanoClock {@link System#nanoTime()} in production
     */
    VerifiedCredentialCache(Duration ttl, LongSupplier nanoClock) {
        this.ttlNanos = ttl.toNanos();
        this.nanoClock = nanoClock;
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        this.key = new SecretKeySpec(secret, "HmacSHA256");
    }

    /**
     * @param username the username given
     * @param password the password given
     * @return the authentication that the encoder produced for exactly these credentials, if still trusted
     */
    Authentication lookup(String username, String password) {
        if (ttlNanos == 0) {
            return null;
        }
        Entry e;
        synchronized (this) {
            e = entries.get(username);
        }
        if (e == null || nanoClock.getAsLong() - e.verifiedAt() >= ttlNanos) {
            return null;
        }
        return MessageDigest.isEqual(e.digest(), digest(username, password)) ? e.result() : null;
    }

    /**
     * @param username the username the encoder accepted
     * @param password the password it accepted
     * @param result   the authentication it produced (credentials erased)
     */
    void remember(String username, String password, Authentication result) {
        if (ttlNanos == 0) {
            return;
        }
        Entry e = new Entry(digest(username, password), result, nanoClock.getAsLong());
        synchronized (this) {
            entries.put(username, e);
        }
    }

    private byte[] digest(String username, String password) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            mac.update(username.getBytes(StandardCharsets.UTF_8));
            mac.update((byte) 0);
            return mac.doFinal(password.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
