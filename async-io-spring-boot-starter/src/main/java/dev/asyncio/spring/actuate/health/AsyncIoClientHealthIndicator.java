package dev.asyncio.spring.actuate.health;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.asyncio.core.client.ClientState;
import dev.asyncio.core.client.ClientStatistics;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.ManagedAsyncIoClient;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of one outbound client ({@code async-io.clients.<name>}), a child of the {@code asyncioClients} composite
 * ({@link #composite}). It reads the client's state and counters only: it never opens a connection, never waits.
 *
 * <ul>
 * <li>{@code UP}: connected, or idle (a pool or per-use client that has not needed a connection, or whose last
 * connect worked);</li>
 * <li>{@code UNKNOWN}: not started yet, or connecting for the first time with no failure so far;</li>
 * <li>{@code DOWN}: the service cannot be reached now — reconnecting after a failure or a dropped connection,
 * connecting after failures, or given up after {@code reconnect.max-attempts} ({@code failed});</li>
 * <li>{@code OUT_OF_SERVICE}: disconnected by an operator (the endpoint), or closed (the context stops).</li>
 * </ul>
 * As for Spring Boot's own clients (Redis, RabbitMQ), a {@code DOWN} client makes the root {@code /actuator/health}
 * {@code DOWN}; readiness and liveness are not affected unless {@code asyncioClients} is added to their groups.
 * {@code management.health.asyncio-clients.enabled=false} removes the contributor.
 */
public class AsyncIoClientHealthIndicator implements HealthIndicator {

    private final ManagedAsyncIoClient client;

    /** @param client the client to report on */
    public AsyncIoClientHealthIndicator(ManagedAsyncIoClient client) {
        this.client = client;
    }

    /**
     * @param clients the application's clients
     * @return a composite with one child per client, named like the client
     */
    public static CompositeHealthContributor composite(AsyncIoClients clients) {
        Map<String, AsyncIoClientHealthIndicator> children = new LinkedHashMap<>();
        clients.clients().forEach((client) -> children.put(client.name(), new AsyncIoClientHealthIndicator(client)));
        return CompositeHealthContributor.fromMap(children);
    }

    @Override
    public Health health() {
        ClientStatistics s = this.client.statistics();
        ClientState state = this.client.state();
        Health.Builder builder = new Health.Builder(status(state, (s != null) ? s.consecutiveFailures() : 0));
        builder.withDetail("state", this.client.stateName())
            .withDetail("mode", this.client.mode().name().toLowerCase(java.util.Locale.ROOT).replace('_', '-'))
            .withDetail("addresses", List.copyOf(this.client.configuredAddresses()))
            .withDetail("collection", this.client.collectionName());
        if (s == null) {
            RuntimeException failure = this.client.failure();
            if (failure != null) {
                builder.withDetail("lastError", String.valueOf(failure.getMessage()));
            }
            return builder.build();
        }
        Map<String, Object> d = new LinkedHashMap<>();
        d.put("address", s.currentAddress());
        d.put("connectAttempts", s.connectAttempts());
        d.put("connects", s.connects());
        d.put("connectFailures", s.connectFailures());
        d.put("consecutiveFailures", s.consecutiveFailures());
        d.put("disconnects", s.disconnects());
        d.put("lastError", s.lastError());
        d.put("lastErrorAt", (s.lastErrorEpochMillis() > 0) ? Instant.ofEpochMilli(s.lastErrorEpochMillis()).toString()
                : null);
        d.put("nextAttemptInMillis", s.nextAttemptInMillis());
        d.put("openConnections", s.openConnections());
        d.put("activeConnections", s.activeConnections());
        d.put("idleConnections", s.idleConnections());
        d.put("pendingAcquires", s.pendingAcquires());
        d.put("acquireTimeouts", s.acquireTimeouts());
        d.put("acquireRejections", s.acquireRejections());
        d.put("evictions", s.evictions());
        d.put("pendingRequests", s.pendingRequests());
        d.put("requestTimeouts", s.requestTimeouts());
        d.put("lateReplies", s.lateReplies());
        d.forEach((key, value) -> {
            if (value != null) {
                builder.withDetail(key, value);
            }
        });
        return builder.build();
    }

    /**
     * @param state the client's state
     * @param consecutiveFailures its connect failures in a row
     * @return the health status of a client in that state
     */
    static Status status(ClientState state, int consecutiveFailures) {
        return switch (state) {
            case CONNECTED -> Status.UP;
            case IDLE -> (consecutiveFailures > 0) ? Status.DOWN : Status.UP;
            case NEW -> Status.UNKNOWN;
            case CONNECTING -> (consecutiveFailures > 0) ? Status.DOWN : Status.UNKNOWN;
            case RECONNECTING, FAILED -> Status.DOWN;
            case DISCONNECTED, CLOSED -> Status.OUT_OF_SERVICE;
        };
    }
}
