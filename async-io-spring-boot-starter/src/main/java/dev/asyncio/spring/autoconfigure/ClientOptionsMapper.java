package dev.asyncio.spring.autoconfigure;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import dev.asyncio.core.ConnectOptions;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.client.AddressOrder;
import dev.asyncio.core.client.ClientAddress;
import dev.asyncio.core.client.ClientMode;
import dev.asyncio.core.client.ClientOptions;
import dev.asyncio.core.client.PoolOptions;
import dev.asyncio.core.client.ReconnectPolicy;
import dev.asyncio.spring.AsyncIoClientCustomizer;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
import dev.asyncio.spring.ManagedAsyncIoClient;

/**
 * Maps a client's checked {@link ClientSettings} onto the core's {@link ClientOptions}, then applies the
 * {@link AsyncIoClientCustomizer}s. A {@code handle:NAME} address becomes the handle's bound address: its Unix socket
 * path, or its port on the address it is bound to (the loopback address for a handle bound to every interface) —
 * resolved when the client is made and again before every connect attempt (the core's
 * {@link ClientOptions#addressResolver()}), so a handle bound again elsewhere is found; a handle that is not bound
 * at an attempt fails that attempt, and the client backs off as for a refused connect.
 * Stateless.
 */
final class ClientOptionsMapper {

    private ClientOptionsMapper() {
    }

    /**
     * @param s the settings
     * @param handles resolves a {@code handle:NAME} address
     * @param customizers applied in order after the properties
     * @return the options
     * @throws AsyncIoConfigurationException naming the client when the core refuses an option
     */
    static ClientOptions options(ClientSettings s, Function<String, ClientAddress> handles,
            List<AsyncIoClientCustomizer> customizers) {
        List<ClientAddress> addresses = new ArrayList<>();
        // handle:NAME addresses as resolved now, and the handle each came from: re-resolved before every attempt.
        Map<ClientAddress, String> fromHandles = new HashMap<>();
        for (ClientAddressSpec spec : s.addresses()) {
            ClientAddress address = switch (spec.kind()) {
                case TCP -> ClientAddress.tcp(spec.host(), spec.port());
                case UNIX -> ClientAddress.unix(spec.path());
                case HANDLE -> handles.apply(spec.handle());
            };
            if (spec.kind() == ClientAddressSpec.Kind.HANDLE) {
                fromHandles.putIfAbsent(address, spec.handle());
            }
            addresses.add(address);
        }
        try {
            ClientSettings.PoolSettings p = s.pool();
            ClientOptions.Builder builder = ClientOptions.builder()
                .addresses(addresses)
                .addressOrder(s.shuffle() ? AddressOrder.SHUFFLE : AddressOrder.IN_ORDER)
                .connectTimeout(s.connectTimeout())
                .tls(s.tls())
                .framing(s.framing())
                .reconnect(ReconnectPolicy.builder()
                    .initialInterval(s.initialInterval())
                    .multiplier(s.multiplier())
                    .maxInterval(s.maxInterval())
                    .jitter(s.jitter())
                    .maxAttempts(s.maxAttempts())
                    .build())
                .mode(mode(s.mode()))
                .pool(PoolOptions.builder()
                    .maxConnections(p.maxConnections())
                    .maxPendingAcquires(p.maxPendingAcquires())
                    .acquireTimeout(p.acquireTimeout())
                    .idleTimeout(p.idleTimeout())
                    .maxLifetime(p.maxLifetime())
                    .evictionInterval(p.evictionInterval())
                    .maxPipelined(p.maxPipelined())
                    .connectionCheck(p.testOnAcquire() ? ClientOptionsMapper::statusOk : null)
                    .build())
                .requestTimeout(s.requestTimeout())
                .addressResolver(fromHandles.isEmpty() ? null : (address) -> {
                    String handle = fromHandles.get(address);
                    return (handle != null) ? handles.apply(handle) : address;
                })
                // Marked, so that the handles' graceful drain leaves them to the clients' own stop phase.
                .connectOptions(ConnectOptions.builder()
                    .stateOptions(StateOptions.builder().userInfo(ManagedAsyncIoClient.CONNECTION_MARKER).build())
                    .build());
            for (AsyncIoClientCustomizer customizer : customizers) {
                customizer.customize(s.name(), builder);
            }
            return builder.build();
        }
        catch (IllegalArgumentException ex) {
            throw new AsyncIoConfigurationException(s.prefix(), s.name(),
                    "has options the client refuses: " + ex.getMessage(), "Correct the properties under " + s.prefix()
                            + " (or the AsyncIoClientCustomizer that set it).", ex);
        }
    }

    /** Loop thread, before a pooled connection is lent: a connection that saw an error or EOF is not lent. */
    private static boolean statusOk(dev.asyncio.core.AsyncIoState state) {
        return state.readStatus() == IoStatus.OK && state.writeStatus() == IoStatus.OK;
    }

    static ClientMode mode(ClientProperties.Mode mode) {
        return switch (mode) {
            case SHARED -> ClientMode.SHARED;
            case POOL -> ClientMode.POOL;
            case PER_USE -> ClientMode.PER_USE;
        };
    }

    /**
     * @param handle the handle a {@code handle:NAME} address names
     * @return where it listens now
     * @throws IllegalStateException if it is not bound
     */
    static ClientAddress addressOf(ManagedAcceptingHandle handle) {
        if (handle.unixSocketPath() != null && handle.isOpen()) {
            return ClientAddress.unix(handle.unixSocketPath());
        }
        InetSocketAddress bound = handle.localAddress();
        if (!handle.isOpen() || bound == null || handle.localPort() <= 0) {
            throw new IllegalStateException("its address handle:" + handle.name() + " names a handle that is not "
                    + "bound (status " + handle.status().name().toLowerCase(java.util.Locale.ROOT) + ")");
        }
        InetAddress address = bound.getAddress();
        String host = (address == null || address.isAnyLocalAddress())
                ? InetAddress.getLoopbackAddress().getHostAddress() : address.getHostAddress();
        return ClientAddress.tcp(host, handle.localPort());
    }
}
