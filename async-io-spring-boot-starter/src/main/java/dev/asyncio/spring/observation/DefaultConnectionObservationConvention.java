package dev.asyncio.spring.observation;

import java.net.InetSocketAddress;

import io.micrometer.common.KeyValue;
import io.micrometer.common.KeyValues;

/**
 * The default {@code asyncio.connection} convention: low-cardinality key values {@code handle}, {@code collection}
 * and {@code outcome} (bounded by configuration, so safe as metric tags), and the peer's address only as the
 * high-cardinality key value {@code peer.address} (on traces, never on metrics). Stateless; any thread.
 */
public class DefaultConnectionObservationConvention implements ConnectionObservationConvention {

    /** The observation's name, and so the timer's. */
    public static final String NAME = "asyncio.connection";

    @Override
    public String getName() {
        return NAME;
    }

    @Override
    public String getContextualName(ConnectionObservationContext context) {
        return "asyncio connection " + context.getHandle();
    }

    @Override
    public KeyValues getLowCardinalityKeyValues(ConnectionObservationContext context) {
        return KeyValues.of(KeyValue.of("handle", context.getHandle()),
                KeyValue.of("collection", context.getCollection()), KeyValue.of("outcome", context.getOutcome()));
    }

    @Override
    public KeyValues getHighCardinalityKeyValues(ConnectionObservationContext context) {
        InetSocketAddress peer = context.getPeer();
        if (peer == null) {
            return KeyValues.empty();
        }
        String host = (peer.getAddress() != null) ? peer.getAddress().getHostAddress() : peer.getHostString();
        return KeyValues.of(KeyValue.of("peer.address", host + ":" + peer.getPort()));
    }
}
