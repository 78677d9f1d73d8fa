package dev.asyncio.spring.observation;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationConvention;

/**
 * Names and key values of the {@code asyncio.connection} observation. Declare a bean of this type to rename it or to
 * change its key values; the default is {@link DefaultConnectionObservationConvention}.
 */
public interface ConnectionObservationConvention extends ObservationConvention<ConnectionObservationContext> {

    @Override
    default boolean supportsContext(Observation.Context context) {
        return context instanceof ConnectionObservationContext;
    }
}
