package dev.asyncio.sample.config;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.binder.MeterBinder;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import dev.asyncio.sample.udp.SourceVerdict;
import dev.asyncio.sample.udp.UdpEchoServer;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.lifecycle.AsyncIoGracefulShutdownLifecycle;

/**
 * The UDP echo ({@code sample.udp-echo.*}): a {@link UdpEchoServer} in one of the starter's collections, started
 * and stopped with the context, with Micrometer counters {@code sample.udp.echo.datagrams} tagged
 * {@code direction=received|sent|dropped|oversized|truncated}, and {@code sample.udp.echo.refused} tagged with the
 * {@link SourceVerdict#reason() reason} a datagram was not answered. UDP states are not accepting handles, so the {@code asyncio} actuator
 * endpoint does not list it; the counters and the start-up line do.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = "sample.udp-echo.enabled", matchIfMissing = true)
public class UdpEchoConfiguration {

    /**
     * @param properties the sample's settings
     * @return the UDP echo server, closed with the context
     */
    @Bean
    UdpEchoServer udpEchoServer(SampleProperties properties) {
        return new UdpEchoServer(properties.udpEcho().limits());
    }

    /**
     * Binds the UDP socket when the context starts, after the starter's handles, and closes it in the graceful
     * shutdown phase, before the collections stop.
     *
     * @param server     the server
     * @param registry   the starter's registry, which owns the collections
     * @param properties the sample's settings
     * @return the lifecycle
     */
    @Bean
    SmartLifecycle udpEchoLifecycle(UdpEchoServer server, AsyncIoRegistry registry, SampleProperties properties) {
        SampleProperties.UdpEcho udp = properties.udpEcho();
        return new SmartLifecycle() {
            private volatile boolean running;

            @Override
            public void start() {
                String address = udp.address() == null || udp.address().isBlank() ? null : udp.address();
                dev.asyncio.core.WaitStateCollection collection;
                try {
                    collection = registry.collection(udp.collection());
                } catch (IllegalArgumentException unknown) {
                    throw new IllegalArgumentException("sample.udp-echo.collection names no collection: "
                            + unknown.getMessage(), unknown);
                }
                server.start(collection, address, udp.port());
                running = true;
            }

            @Override
            public void stop() {
                server.close();
                running = false;
            }

            @Override
            public boolean isRunning() {
                return running;
            }

            @Override
            public int getPhase() {
                return AsyncIoGracefulShutdownLifecycle.PHASE;
            }
        };
    }

    /**
     * Health indicator {@code udpEcho}: {@code DOWN} while the echo should be serving (its lifecycle runs) but its
     * socket is closed, so that a dead UDP echo never hides behind a green health. The memory budget never closes an
     * unconnected UDP socket; what can is a failing callback under the {@code close} error policy, an interrupt in an
     * operation on the socket, or the loop of its collection dying (the starter then starts a new collection, but the
     * socket was the old one's).
     *
     * @param server    the server
     * @param lifecycle its lifecycle
     * @return the indicator
     */
    @Bean
    HealthIndicator udpEchoHealthIndicator(UdpEchoServer server,
            @Qualifier("udpEchoLifecycle") SmartLifecycle lifecycle) {
        return () -> {
            if (lifecycle.isRunning() && !server.isOpen()) {
                return Health.down().withDetail("error", "the UDP echo socket is closed: it serves nobody until the "
                        + "application restarts").build();
            }
            return Health.up().withDetail("port", server.localPort()).build();
        };
    }

    /**
     * @param server the server
     * @return the datagram counters
     */
    @Bean
    MeterBinder udpEchoMeters(UdpEchoServer server) {
        return registry -> {
            FunctionCounter.builder("sample.udp.echo.datagrams", server, UdpEchoServer::received)
                    .tag("direction", "received").description("Datagrams received by the UDP echo")
                    .baseUnit("datagrams").register(registry);
            FunctionCounter.builder("sample.udp.echo.datagrams", server, UdpEchoServer::sent)
                    .tag("direction", "sent").description("Datagrams echoed by the UDP echo")
                    .baseUnit("datagrams").register(registry);
            FunctionCounter.builder("sample.udp.echo.datagrams", server, UdpEchoServer::dropped)
                    .tag("direction", "dropped").description("Datagrams not echoed: output queue full")
                    .baseUnit("datagrams").register(registry);
            FunctionCounter.builder("sample.udp.echo.datagrams", server, UdpEchoServer::oversized)
                    .tag("direction", "oversized")
                    .description("Datagrams received but not echoed: over the 65,507 bytes the core sends (IPv6)")
                    .baseUnit("datagrams").register(registry);
            FunctionCounter.builder("sample.udp.echo.datagrams", server, UdpEchoServer::truncated)
                    .tag("direction", "truncated").description("Datagrams larger than the receive buffer")
                    .baseUnit("datagrams").register(registry);
            for (SourceVerdict verdict : SourceVerdict.values()) {
                if (verdict != SourceVerdict.ANSWER) {
                    FunctionCounter.builder("sample.udp.echo.refused", server, s -> s.refused(verdict))
                            .tag("reason", verdict.reason())
                            .description("Datagrams received but not answered: a spoofable sender or over its rate")
                            .baseUnit("datagrams").register(registry);
                }
            }
        };
    }
}
