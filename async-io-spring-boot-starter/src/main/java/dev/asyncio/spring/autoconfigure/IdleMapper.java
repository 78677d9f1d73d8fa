package dev.asyncio.spring.autoconfigure;

import java.time.Duration;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IdleOptions;
import dev.asyncio.spring.FramedConnectionFunction;
import dev.asyncio.spring.IdleDetectingConnectionFunction;
import dev.asyncio.spring.IdlePolicy;
import org.jspecify.annotations.Nullable;

/**
 * Maps {@code async-io.handles.<name>.idle.*} onto an {@link IdlePolicy}: each period positive or unset, checked
 * naming the property. Stateless; used while the context refreshes.
 */
final class IdleMapper {

    private IdleMapper() {
    }

    /**
     * @param prefix the handle's prefix, e.g. {@code async-io.handles.frames}
     * @param props the handle's idle properties
     * @return the policy, or {@code null} when no period is set
     * @throws dev.asyncio.spring.AsyncIoConfigurationException if a period is zero or negative
     */
    static @Nullable IdlePolicy policy(String prefix, IdleProperties props) {
        String p = prefix + ".idle";
        Duration reader = HandlePropertyChecks.positiveOrUnset(p + ".reader", props.getReader());
        Duration writer = HandlePropertyChecks.positiveOrUnset(p + ".writer", props.getWriter());
        Duration all = HandlePropertyChecks.positiveOrUnset(p + ".all", props.getAll());
        if (reader == null && writer == null && all == null) {
            return null;
        }
        IdleOptions options = IdleOptions.builder().readerIdle(reader).writerIdle(writer).allIdle(all).build();
        return new IdlePolicy(options, props.getAction());
    }

    /**
     * @param function a plain (not framed) connection function
     * @param policy the handle's idle policy, or {@code null}
     * @return the function, wrapped to start the policy on each connection when there is one
     */
    static ConnectionFunction wrap(ConnectionFunction function, @Nullable IdlePolicy policy) {
        return (policy != null) ? new IdleDetectingConnectionFunction(function, policy) : function;
    }

    /**
     * @param function a handle's connection function as mapped
     * @return its idle policy, or {@code null}
     */
    static @Nullable IdlePolicy policyOf(ConnectionFunction function) {
        if (function instanceof IdleDetectingConnectionFunction idle) {
            return idle.policy();
        }
        if (function instanceof FramedConnectionFunction framed) {
            return framed.idlePolicy();
        }
        return null;
    }
}
