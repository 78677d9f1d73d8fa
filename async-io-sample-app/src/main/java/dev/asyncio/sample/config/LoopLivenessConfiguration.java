package dev.asyncio.sample.config;

import java.util.LinkedHashMap;
import java.util.Map;

import dev.asyncio.core.CollectionStatistics;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.spring.AsyncIoRegistry;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Liveness of the event loops: health indicator {@code asyncioLoops}, in the liveness group. The starter's
 * {@code asyncio} indicator also goes {@code OUT_OF_SERVICE} when an operator closes a handle, which belongs to
 * readiness only; a loop thread that died, though, serves nobody until the process restarts, so liveness must see it
 * and let Kubernetes restart the pod.
 */
@Configuration(proxyBeanMethods = false)
class LoopLivenessConfiguration {

    @Bean
    HealthIndicator asyncioLoopsHealthIndicator(AsyncIoRegistry registry) {
        return () -> {
            Map<String, Object> loops = new LinkedHashMap<>();
            boolean dead = false;
            for (WaitStateCollection collection : registry.collections()) {
                CollectionStatistics statistics = collection.statistics();
                loops.put(collection.name(), statistics.alive());
                // A loop of a createAndRun collection ends (and closes it) only when stopped or failed; while the
                // registry runs, that means failed.
                dead |= !statistics.alive() && !registry.isStopped();
            }
            Health.Builder health = dead ? Health.down() : Health.up();
            return health.withDetail("loops", loops).build();
        };
    }
}
