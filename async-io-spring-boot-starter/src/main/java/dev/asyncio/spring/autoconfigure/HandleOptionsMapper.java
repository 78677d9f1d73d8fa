package dev.asyncio.spring.autoconfigure;

import java.time.Duration;
import java.util.Set;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.Framing;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.FramedConnectionFunction;
import dev.asyncio.spring.HandleDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ssl.SslBundles;
import org.springframework.util.unit.DataSize;

/**
 * Maps one {@code async-io.handles.<name>} to a {@link HandleDefinition}: checks each value
 * ({@link HandlePropertyChecks}), builds the core's {@link AcceptOptions} and {@link StateOptions}, the TLS options
 * from the handle's SSL bundle ({@link SslBundleTls}) and finds its connection function
 * ({@link ConnectionFunctionLookup}). Used while the context refreshes.
 */
final class HandleOptionsMapper {

    private final Set<String> collectionNames;

    private final ConnectionFunctionLookup connectionFunctions;

    private final @Nullable SslBundles sslBundles;

    private final boolean ephemeralPorts;

    private final int processors;

    /**
     * @param collectionNames the collections a handle may name
     * @param connectionFunctions where connection functions come from
     * @param sslBundles Boot's SSL bundles, {@code null} when the context has none
     * @param ephemeralPorts {@code async-io.ephemeral-ports}: every handle binds port 0
     * @param processors the default of {@code loops} ({@link Runtime#availableProcessors()})
     */
    HandleOptionsMapper(Set<String> collectionNames, ConnectionFunctionLookup connectionFunctions,
            @Nullable SslBundles sslBundles, boolean ephemeralPorts, int processors) {
        this.processors = processors;
        this.collectionNames = collectionNames;
        this.connectionFunctions = connectionFunctions;
        this.sslBundles = sslBundles;
        this.ephemeralPorts = ephemeralPorts;
    }

    static String prefix(String name) {
        return AsyncIoProperties.PREFIX + ".handles." + name;
    }

    /**
     * @throws AsyncIoConfigurationException for the first value that breaks a rule
     */
    HandleDefinition definition(String name, AsyncIoProperties.Handle props) {
        String prefix = prefix(name);
        HandlePropertyChecks.handleName(prefix, name);
        java.nio.file.Path unixSocketPath = HandlePropertyChecks.unixSocketPath(prefix, props.getUnixSocketPath(),
                props.getPort(), props.getAddress(), props.tcpOnlySet());
        String service = (unixSocketPath != null) ? null : HandlePropertyChecks.port(prefix + ".port", props.getPort());
        if (this.ephemeralPorts && unixSocketPath == null) {
            service = "0";
        }
        Framing framing = FramingMapper.framing(prefix, props.getFraming());
        TlsOptions tls = SslBundleTls.tls(name, prefix + ".tls", props.getTls(), this.sslBundles);
        LoopGroup loops = LoopGroup.of(prefix, name, props.getCollection(), props.getLoops(), this.collectionNames,
                this.processors);
        HandlePropertyChecks.positive(prefix + ".backlog", props.getBacklog());
        HandlePropertyChecks.notNegative(prefix + ".max-connections", props.getMaxConnections());
        Duration initTimeout = HandlePropertyChecks.notNegative(prefix + ".init-timeout", props.getInitTimeout());
        AcceptOptions options = ProxyProtocolMapper.apply(prefix, props, AcceptOptions.builder())
            .address(props.getAddress())
            .backlog(props.getBacklog())
            .nodelay(props.isNodelay())
            .keepalive(props.isKeepalive())
            .ipFamily(props.getIpv6())
            .reusePort(props.isReusePort())
            .initTimeout(initTimeout)
            .maxConnections(props.getMaxConnections())
            .maxConnectionsPolicy((props.getMaxConnectionsPolicy() != null) ? props.getMaxConnectionsPolicy()
                    : dev.asyncio.core.MaxConnectionsPolicy.PAUSE)
            .handleName(name)
            .stateOptions(framedStateOptions(prefix, props, framing))
            .tls(tls)
            .build();
        dev.asyncio.spring.IdlePolicy idle = IdleMapper.policy(prefix, props.getIdle());
        ConnectionFunction function = (framing == null)
                ? IdleMapper.wrap(this.connectionFunctions.find(name, prefix, props.getConnectionFunction()), idle)
                : new FramedConnectionFunction(framing,
                        this.connectionFunctions.find(name, prefix, props.getConnectionFunction(), FrameHandler.class),
                        idle);
        return new HandleDefinition(name, loops.collection(), service, function, options, prefix, loops.loops(),
                unixSocketPath);
    }

    /**
     * A framed handle's connections queue output (a handler replies once per frame, several frames may arrive in one
     * read), and must be able to buffer one whole frame.
     */
    private static StateOptions framedStateOptions(String prefix, AsyncIoProperties.Handle props,
            @Nullable Framing framing) {
        StateOptions options = stateOptions(prefix, props);
        if (framing == null) {
            return options;
        }
        long frame = (long) framing.maxFrameSize() + framing.lengthFieldOffset() + framing.lengthFieldLength()
                + framing.delimiterBytes().length + 2;
        if (props.getMaxBufferedInput().toBytes() < frame) {
            String property = prefix + ".framing." + ((framing.kind() == Framing.Kind.FIXED) ? "fixed-length"
                    : "max-frame-size");
            throw new AsyncIoConfigurationException(property, DataSize.ofBytes(framing.maxFrameSize()),
                    "does not fit " + prefix + ".max-buffered-input (" + props.getMaxBufferedInput()
                            + "): a frame that arrives in pieces is buffered whole, header included (" + frame + "B)",
                    "Raise " + prefix + ".max-buffered-input to at least " + frame + "B, or lower " + property + ".");
        }
        return options.toBuilder().queueOutput(true).build();
    }

    private static StateOptions stateOptions(String prefix, AsyncIoProperties.Handle props) {
        Duration readTimeout = HandlePropertyChecks.positiveOrUnset(prefix + ".read-timeout", props.getReadTimeout());
        Duration writeTimeout = HandlePropertyChecks.positiveOrUnset(prefix + ".write-timeout",
                props.getWriteTimeout());
        Duration requestDeadline = HandlePropertyChecks.positiveOrUnset(prefix + ".request-deadline",
                props.getRequestDeadline());
        int maxRead = HandlePropertyChecks.intSize(prefix + ".max-read", props.getMaxRead());
        int maxBufferedInput = HandlePropertyChecks.intSize(prefix + ".max-buffered-input",
                props.getMaxBufferedInput());
        int high = HandlePropertyChecks.intSize(prefix + ".write-high-water-mark", props.getWriteHighWaterMark());
        int low = HandlePropertyChecks.intSize(prefix + ".write-low-water-mark", props.getWriteLowWaterMark());
        if (low > high) {
            throw new AsyncIoConfigurationException(prefix + ".write-low-water-mark", props.getWriteLowWaterMark(),
                    "is above " + prefix + ".write-high-water-mark (" + props.getWriteHighWaterMark() + ")",
                    "Set the low water mark at or below the high water mark.");
        }
        long maxQueuedOutput = props.getMaxQueuedOutput().toBytes();
        if (maxQueuedOutput < high) {
            throw new AsyncIoConfigurationException(prefix + ".max-queued-output", props.getMaxQueuedOutput(),
                    "is below " + prefix + ".write-high-water-mark (" + props.getWriteHighWaterMark() + ")",
                    "Allow at least as much queued output as the high water mark.");
        }
        return StateOptions.builder()
            .queueOutput(props.isQueueOutput())
            .readTimeout(readTimeout)
            .writeTimeout(writeTimeout)
            .readDeadline(requestDeadline)
            .maxRead(maxRead)
            .maxBufferedInput(maxBufferedInput)
            .writeWaterMarks(low, high)
            .maxQueuedOutput(maxQueuedOutput)
            .build();
    }
}
