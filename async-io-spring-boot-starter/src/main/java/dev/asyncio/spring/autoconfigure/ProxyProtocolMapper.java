package dev.asyncio.spring.autoconfigure;

import java.time.Duration;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.spring.AsyncIoConfigurationException;

/**
 * Maps {@code async-io.handles.<name>.proxy-protocol} and {@code proxy-protocol-timeout} onto a handle's
 * {@link AcceptOptions}, failing start-up with an {@link AsyncIoConfigurationException} naming the property for a
 * value the core refuses. Stateless; used while the context refreshes.
 */
final class ProxyProtocolMapper {

    private ProxyProtocolMapper() {
    }

    /**
     * @param prefix {@code async-io.handles.<name>}
     * @param props the handle's properties
     * @param options the handle's options so far
     * @return {@code options} with the handle's PROXY protocol settings
     * @throws AsyncIoConfigurationException if the timeout is not positive
     */
    static AcceptOptions.Builder apply(String prefix, AsyncIoProperties.Handle props, AcceptOptions.Builder options) {
        ProxyProtocol mode = (props.getProxyProtocol() != null) ? props.getProxyProtocol() : ProxyProtocol.OFF;
        Duration timeout = props.getProxyProtocolTimeout();
        if (timeout == null || timeout.isNegative() || timeout.isZero()) {
            String property = prefix + ".proxy-protocol-timeout";
            throw new AsyncIoConfigurationException(property, timeout, "must be positive",
                    "Set " + property + " to a positive duration such as 10s (how long a connection may take to send "
                            + "its PROXY protocol header).");
        }
        return options.proxyProtocol(mode).proxyProtocolTimeout(timeout);
    }
}
