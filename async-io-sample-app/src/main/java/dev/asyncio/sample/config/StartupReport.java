package dev.asyncio.sample.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.asyncio.sample.udp.UdpEchoServer;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;

/**
 * Logs one line when the application is ready, with every port it listens on:
 * {@code async-io sample ready: http=8080 tls-echo=7443 echo=7000 kv=6380 udp-echo=7001}. Operators see at a glance
 * where to connect, and the end-to-end test reads the ports from it when everything was started on port 0.
 */
@Component
public class StartupReport {

    private static final Logger LOG = LoggerFactory.getLogger(StartupReport.class);

    private final AsyncIoRegistry registry;
    private final Environment environment;
    private final ObjectProvider<UdpEchoServer> udpEcho;

    /**
     * @param registry    the starter's registry of handles
     * @param environment holds {@code local.server.port} once the web server runs
     * @param udpEcho     the UDP echo, when enabled
     */
    public StartupReport(AsyncIoRegistry registry, Environment environment, ObjectProvider<UdpEchoServer> udpEcho) {
        this.registry = registry;
        this.environment = environment;
        this.udpEcho = udpEcho;
    }

    /** Runs on the main thread once the application is ready. */
    @EventListener(ApplicationReadyEvent.class)
    public void report() {
        StringBuilder line = new StringBuilder("async-io sample ready: http=")
                .append(environment.getProperty("local.server.port", "?"));
        for (ManagedAcceptingHandle handle : registry.handles()) {
            line.append(' ').append(handle.name()).append('=').append(handle.localPort());
        }
        udpEcho.ifAvailable(udp -> line.append(" udp-echo=").append(udp.localPort()));
        LOG.info(line.toString());
    }
}
