package dev.asyncio.spring.metrics;

import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.ToDoubleFunction;

import dev.asyncio.core.client.AsyncIoClient;
import dev.asyncio.core.client.ClientAddress;
import dev.asyncio.core.client.ClientException;
import dev.asyncio.core.client.ClientListener;
import dev.asyncio.core.client.ClientStatistics;
import dev.asyncio.core.client.EvictionReason;
import dev.asyncio.spring.AsyncIoClients;
import dev.asyncio.spring.ManagedAsyncIoClient;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer meters {@code asyncio.client.*} for every client of {@link AsyncIoClients}, tagged {@code client} and,
 * where an event has one, a bounded {@code outcome} or {@code reason} (the core's failure kinds, lower case with
 * dashes) — never an address:
 *
 * <ul>
 * <li>{@code asyncio.client.connect} (timer; {@code outcome} success|failure): each connect attempt's time;</li>
 * <li>{@code asyncio.client.reconnects} (counter): reconnects scheduled after a failure or a dropped connection;</li>
 * <li>{@code asyncio.client.disconnects} (function counter): connections lost or closed;</li>
 * <li>{@code asyncio.client.connections.open}, {@code asyncio.client.pool.active}, {@code asyncio.client.pool.idle},
 * {@code asyncio.client.pool.pending} (gauges): open connections, those lent, those idle, acquires waiting;</li>
 * <li>{@code asyncio.client.pool.evictions} (counter; {@code reason} idle|lifetime|failed-check): pooled connections
 * the pool closed;</li>
 * <li>{@code asyncio.client.acquire} (timer): how long acquires waited for a connection;</li>
 * <li>{@code asyncio.client.acquire.failures} (counter; {@code reason} acquire-timeout|pool-exhausted|...);</li>
 * <li>{@code asyncio.client.requests} (timer; {@code outcome} success|request-timeout|connection-lost|...);</li>
 * <li>{@code asyncio.client.requests.pending} (gauge): requests written, waiting for their reply;</li>
 * <li>{@code asyncio.client.replies.late} (function counter): replies that came after their request timed out;</li>
 * <li>{@code asyncio.client.frames.unsolicited} (function counter): frames for no request.</li>
 * </ul>
 * The event meters are recorded by a {@link ClientListener} on the client's loop thread; the gauges read
 * {@link ManagedAsyncIoClient#statistics()} (0 before the client starts).
 */
public class AsyncIoClientMeterBinder implements MeterBinder {

    private final AsyncIoClients clients;

    /** @param clients the clients to measure */
    public AsyncIoClientMeterBinder(AsyncIoClients clients) {
        this.clients = clients;
    }

    @Override
    public void bindTo(MeterRegistry registry) {
        for (ManagedAsyncIoClient client : this.clients.clients()) {
            bind(client, registry);
        }
    }

    private static void bind(ManagedAsyncIoClient client, MeterRegistry registry) {
        Tags tags = Tags.of("client", client.name());
        gauge(registry, "asyncio.client.connections.open", "Open connections of the client", client, tags,
                ClientStatistics::openConnections);
        gauge(registry, "asyncio.client.pool.active", "Connections lent out (pool) or in use", client, tags,
                ClientStatistics::activeConnections);
        gauge(registry, "asyncio.client.pool.idle", "Idle connections in the pool", client, tags,
                ClientStatistics::idleConnections);
        gauge(registry, "asyncio.client.pool.pending", "Acquires waiting for a connection", client, tags,
                ClientStatistics::pendingAcquires);
        gauge(registry, "asyncio.client.requests.pending", "Requests waiting for their reply", client, tags,
                ClientStatistics::pendingRequests);
        counter(registry, "asyncio.client.disconnects", "Connections lost or closed", client, tags,
                ClientStatistics::disconnects);
        counter(registry, "asyncio.client.replies.late", "Replies that came after their request timed out", client,
                tags, ClientStatistics::lateReplies);
        counter(registry, "asyncio.client.frames.unsolicited", "Frames that answered no request", client, tags,
                ClientStatistics::unsolicitedFrames);
        client.addListener(new Recorder(registry, tags));
    }

    private static void gauge(MeterRegistry registry, String name, String description, ManagedAsyncIoClient client,
            Tags tags, ToDoubleFunction<ClientStatistics> value) {
        Gauge.builder(name, client, (c) -> read(c, value))
            .description(description)
            .baseUnit((name.endsWith("pending") && name.contains("requests")) ? "requests" : "connections")
            .tags(tags)
            .register(registry);
    }

    private static void counter(MeterRegistry registry, String name, String description, ManagedAsyncIoClient client,
            Tags tags, ToDoubleFunction<ClientStatistics> value) {
        FunctionCounter.builder(name, client, (c) -> read(c, value)).description(description).tags(tags)
            .register(registry);
    }

    private static double read(ManagedAsyncIoClient client, ToDoubleFunction<ClientStatistics> value) {
        ClientStatistics statistics = client.statistics();
        return (statistics != null) ? value.applyAsDouble(statistics) : 0;
    }

    /** The failure kind as a tag value: lower case with dashes. */
    static String tag(ClientException.Kind kind) {
        return kind.name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    /** Records the event meters of one client in one registry; runs on the client's loop thread. */
    private static final class Recorder implements ClientListener {

        private final Timer connectSuccess;

        private final Timer connectFailure;

        private final Counter reconnects;

        private final Timer acquire;

        private final Timer requestSuccess;

        private final Map<ClientException.Kind, Timer> requestFailures = new EnumMap<>(ClientException.Kind.class);

        private final Map<ClientException.Kind, Counter> acquireFailures = new EnumMap<>(ClientException.Kind.class);

        private final Map<EvictionReason, Counter> evictions = new EnumMap<>(EvictionReason.class);

        Recorder(MeterRegistry registry, Tags tags) {
            this.connectSuccess = connectTimer(registry, tags, "success");
            this.connectFailure = connectTimer(registry, tags, "failure");
            this.reconnects = Counter.builder("asyncio.client.reconnects")
                .description("Reconnects scheduled after a failed connect or a dropped connection")
                .tags(tags)
                .register(registry);
            this.acquire = Timer.builder("asyncio.client.acquire")
                .description("Time acquires waited for a connection")
                .tags(tags)
                .register(registry);
            this.requestSuccess = requestTimer(registry, tags, "success");
            for (ClientException.Kind kind : ClientException.Kind.values()) {
                this.requestFailures.put(kind, requestTimer(registry, tags, tag(kind)));
                this.acquireFailures.put(kind, Counter.builder("asyncio.client.acquire.failures")
                    .description("Acquires that failed, by reason")
                    .tags(tags.and("reason", tag(kind)))
                    .register(registry));
            }
            for (EvictionReason reason : EvictionReason.values()) {
                this.evictions.put(reason, Counter.builder("asyncio.client.pool.evictions")
                    .description("Pooled connections the pool closed, by reason")
                    .tags(tags.and("reason", reason.name().toLowerCase(Locale.ROOT).replace('_', '-')))
                    .register(registry));
            }
        }

        private static Timer connectTimer(MeterRegistry registry, Tags tags, String outcome) {
            return Timer.builder("asyncio.client.connect")
                .description("Connect attempts of the client and their time")
                .tags(tags.and("outcome", outcome))
                .register(registry);
        }

        private static Timer requestTimer(MeterRegistry registry, Tags tags, String outcome) {
            return Timer.builder("asyncio.client.requests")
                .description("Requests of the client, from sending to reply or failure")
                .tags(tags.and("outcome", outcome))
                .register(registry);
        }

        @Override
        public void connected(AsyncIoClient client, ClientAddress address, Duration took) {
            this.connectSuccess.record(took);
        }

        @Override
        public void connectFailed(AsyncIoClient client, ClientAddress address, Throwable failure, Duration took) {
            this.connectFailure.record(took);
        }

        @Override
        public void reconnectScheduled(AsyncIoClient client, int failures, Duration delay) {
            this.reconnects.increment();
        }

        @Override
        public void acquired(AsyncIoClient client, Duration waited) {
            this.acquire.record(waited);
        }

        @Override
        public void acquireFailed(AsyncIoClient client, ClientException failure) {
            this.acquireFailures.get(failure.kind()).increment();
        }

        @Override
        public void requestCompleted(AsyncIoClient client, Duration took, @Nullable ClientException failure) {
            ((failure == null) ? this.requestSuccess : this.requestFailures.get(failure.kind())).record(took);
        }

        @Override
        public void evicted(AsyncIoClient client, ClientAddress address, EvictionReason reason) {
            this.evictions.get(reason).increment();
        }
    }

    /** @return the meter names this binder registers, for documentation and tests */
    public static List<String> meterNames() {
        return List.of("asyncio.client.connect", "asyncio.client.reconnects",
                "asyncio.client.disconnects", "asyncio.client.connections.open", "asyncio.client.pool.active",
                "asyncio.client.pool.idle", "asyncio.client.pool.pending", "asyncio.client.pool.evictions",
                "asyncio.client.acquire",
                "asyncio.client.acquire.failures", "asyncio.client.requests", "asyncio.client.requests.pending",
                "asyncio.client.replies.late", "asyncio.client.frames.unsolicited");
    }
}
