package dev.asyncio.spring.observation;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.StateOptions;
import dev.asyncio.spring.HandleDefinition;
import dev.asyncio.spring.HandleDefinitionCustomizer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Makes every connection of a handle an {@code asyncio.connection} observation: started when the connection function
 * is called (after a TLS handshake, if any), stopped when the state closes, with the outcome {@code ok},
 * {@code timeout} or {@code error} read from the state's read and write status. Boot's default handlers then record
 * the {@code asyncio.connection} timer (its histogram is switched on with
 * {@code management.metrics.distribution.percentiles-histogram.asyncio.connection=true}) and, with tracing, a span.
 *
 * <p>The observation is current (its {@link Observation.Scope} is open) while the connection function and every
 * later callback of the connection run — through the state's {@link dev.asyncio.core.CallbackScope} — so that with
 * Micrometer Tracing the log lines written there carry the connection's trace and span ids. A no-op observation (an
 * application whose registry has no handler) sets no scope and costs nothing per callback; with
 * {@code async-io.observation.callback-scope=false} (metrics without tracing) only the connection function runs in
 * the scope, which saves opening and closing it around every callback.
 *
 * <p>It wraps the handle's connection function and chains a {@link StateOptions#closedCallback()}; both run on the
 * connection's loop thread.
 */
public class ObservingHandleCustomizer implements HandleDefinitionCustomizer {

    private static final ConnectionObservationConvention DEFAULT = new DefaultConnectionObservationConvention();

    private final ObservationRegistry registry;

    private final @Nullable ConnectionObservationConvention convention;

    private final boolean callbackScope;

    /**
     * @param registry where observations go
     * @param convention the user's convention, or {@code null} for {@link DefaultConnectionObservationConvention}
     */
    public ObservingHandleCustomizer(ObservationRegistry registry, @Nullable ConnectionObservationConvention convention) {
        this(registry, convention, true);
    }

    /**
     * @param registry where observations go
     * @param convention the user's convention, or {@code null} for {@link DefaultConnectionObservationConvention}
     * @param callbackScope whether every callback of the connection runs in its observation's scope
     *     ({@code async-io.observation.callback-scope}); the connection function always does
     */
    public ObservingHandleCustomizer(ObservationRegistry registry, @Nullable ConnectionObservationConvention convention,
            boolean callbackScope) {
        this.registry = registry;
        this.convention = convention;
        this.callbackScope = callbackScope;
    }

    @Override
    public HandleDefinition customize(HandleDefinition definition) {
        Map<AsyncIoState, Observation> open = new ConcurrentHashMap<>();
        ConnectionFunction function = definition.connectionFunction();
        ConnectionFunction observed = (handle, state) -> {
            ConnectionObservationContext context = new ConnectionObservationContext(definition.name(),
                    definition.collection(), state.peerAddress());
            Observation observation = Observation
                .createNotStarted(this.convention, DEFAULT, () -> context, this.registry)
                .start();
            open.put(state, observation);
            if (observation.isNoop()) {
                function.connected(handle, state);
                return;
            }
            if (this.callbackScope) {
                state.setCallbackScope(() -> observation.openScope()::close);
            }
            try (Observation.Scope scope = observation.openScope()) {
                function.connected(handle, state);
            }
        };
        StateOptions stateOptions = definition.options().stateOptions();
        StateCallback previous = stateOptions.closedCallback();
        StateCallback closed = (state) -> {
            // The application's closed callback first: it still runs inside the connection's observation.
            try {
                if (previous != null) {
                    previous.call(state);
                }
            }
            finally {
                Observation observation = open.remove(state);
                if (observation != null) {
                    ((ConnectionObservationContext) observation.getContext()).setOutcome(outcome(state));
                    observation.stop();
                }
            }
        };
        AcceptOptions options = definition.options()
            .toBuilder()
            .stateOptions(stateOptions.toBuilder().closedCallback(closed).build())
            .build();
        return definition.with(observed, options);
    }

    private static String outcome(AsyncIoState state) {
        IoStatus read = state.readStatus();
        IoStatus write = state.writeStatus();
        if (read == IoStatus.ERROR || write == IoStatus.ERROR) {
            return "error";
        }
        if (read == IoStatus.TIMEOUT || write == IoStatus.TIMEOUT) {
            return "timeout";
        }
        return "ok";
    }
}
