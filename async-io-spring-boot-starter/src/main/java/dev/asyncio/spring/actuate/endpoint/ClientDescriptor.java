package dev.asyncio.spring.actuate.endpoint;

import java.util.List;
import java.util.Locale;

import dev.asyncio.core.client.ClientStatistics;
import dev.asyncio.spring.ManagedAsyncIoClient;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;

/**
 * One outbound client as the {@code asyncio} endpoint shows it: a snapshot, never the live client.
 *
 * @param name its name ({@code async-io.clients.<name>})
 * @param state new, idle, connecting, connected, reconnecting, failed, disconnected or closed
 * @param mode shared, pool or per-use
 * @param collection the collection its connections run on
 * @param addresses its addresses as configured ({@code handle:kv} stays so)
 * @param address the address it is connected (or connecting) to now, {@code null} when none
 * @param error why it could not start, or its last connect or connection error; {@code null} when none
 * @param statistics its counters and gauges; {@code null} before it started
 */
public record ClientDescriptor(String name, String state, String mode, String collection, List<String> addresses,
        @Nullable String address, @Nullable String error, @Nullable ClientStatistics statistics)
        implements OperationResponseBody {

    /**
     * @param client a client
     * @return its snapshot; reads counters only, never opens a connection
     */
    public static ClientDescriptor of(ManagedAsyncIoClient client) {
        ClientStatistics s = client.statistics();
        RuntimeException failure = client.failure();
        String error = (s != null) ? s.lastError() : (failure != null) ? String.valueOf(failure.getMessage()) : null;
        return new ClientDescriptor(client.name(), client.stateName(),
                client.mode().name().toLowerCase(Locale.ROOT).replace('_', '-'), client.collectionName(),
                client.configuredAddresses(), (s != null) ? s.currentAddress() : null, error, s);
    }
}
