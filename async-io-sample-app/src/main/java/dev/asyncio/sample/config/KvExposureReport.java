package dev.asyncio.sample.config;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.ManagedAcceptingHandle;

/**
 * Says at start-up who can reach kv and why, so that {@link KvProtectedMode} cannot surprise anyone: loopback only
 * without a password (INFO), reachable from the network without a password because an address was set on purpose
 * (WARN), or protected by {@code AUTH} (INFO).
 */
@Component
public class KvExposureReport {

    private static final Logger LOG = LoggerFactory.getLogger(KvExposureReport.class);

    private final AsyncIoRegistry registry;
    private final Environment environment;

    /**
     * @param registry    the starter's registry, which holds the kv handle
     * @param environment the configuration
     */
    public KvExposureReport(AsyncIoRegistry registry, Environment environment) {
        this.registry = registry;
        this.environment = environment;
    }

    /** Logs the line once the handles listen. */
    @EventListener(ApplicationReadyEvent.class)
    public void report() {
        ManagedAcceptingHandle kv = registry.handle("kv");
        InetSocketAddress bound = kv == null ? null : kv.localAddress();
        if (bound == null) {
            return;
        }
        String where = bound.getAddress().getHostAddress() + ":" + bound.getPort();
        if (KvProtectedMode.hasPassword(environment)) {
            LOG.info("kv listens on {} and requires AUTH (sample.kv.password is set)", where);
        } else if (bound.getAddress().isLoopbackAddress()) {
            LOG.info("kv listens on {} only (protected mode, like Redis): sample.kv.password is not set, and kv "
                    + "answers FLUSHALL and CONFIG GET to anyone who connects. To reach it from other hosts, set "
                    + "sample.kv.password (clients then AUTH) or set async-io.handles.kv.address explicitly", where);
        } else {
            LOG.warn("kv listens on {} WITHOUT a password (async-io.handles.kv.address was set explicitly): anyone "
                    + "who can reach it can read, change and FLUSHALL the data; set sample.kv.password", where);
        }
    }
}
