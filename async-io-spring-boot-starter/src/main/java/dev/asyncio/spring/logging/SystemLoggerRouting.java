package dev.asyncio.spring.logging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;

/**
 * Makes sure the core's {@link System.Logger} lines reach Spring's logging for the whole life of the context, also
 * where the JDK cannot see {@link SpringLoggerFinder}: in an executable Spring Boot jar the starter sits in
 * {@code BOOT-INF/lib}, out of reach of the system class loader that looks up {@code System.LoggerFinder}, so the
 * JDK's default finder sends the lines to {@code java.util.logging}. There this class puts a
 * {@link JulToCommonsLoggingFilter} on the core's JUL loggers ({@link #CORE_LOGGERS}) and on every other JUL logger
 * under {@code dev.asyncio} that exists, with level {@code ALL} (Spring's levels then decide, per record). The
 * filter writes to Commons Logging and keeps the record from JUL's handlers, so neither Spring Boot's removal of its
 * JUL bridge at {@code ContextClosedEvent} nor JUL's own reset in its JVM shutdown hook (which drops every handler
 * and level, but not filters) silences them; after that reset only {@code INFO} and above pass JUL's level check.
 * Where the finder is in use, it does nothing. (The starter's own classes log through Commons Logging directly.)
 *
 * <p>Made by the auto-configuration while the context refreshes; {@link #close()} (bean destruction, after the
 * lifecycle has stopped) puts the JUL loggers back as they were.
 */
public final class SystemLoggerRouting implements AutoCloseable {

    /** The JUL logger all async-io loggers descend from. */
    public static final String ROOT = "dev.asyncio";

    /** The loggers of the core ({@code dev.asyncio.core.Loggers}), routed even before they are first used. */
    public static final List<String> CORE_LOGGERS = List.of("dev.asyncio.core.loop", "dev.asyncio.core.callbacks",
            "dev.asyncio.core.accept");

    private final List<Routed> routed;

    private SystemLoggerRouting(List<Routed> routed) {
        this.routed = routed;
    }

    /** @return the routing for this JVM: a no-op where {@link SpringLoggerFinder} is the JDK's finder */
    public static SystemLoggerRouting install() {
        if (System.LoggerFinder.getLoggerFinder() instanceof SpringLoggerFinder) {
            return new SystemLoggerRouting(List.of());
        }
        List<String> names = new ArrayList<>(CORE_LOGGERS);
        for (String name : Collections.list(LogManager.getLogManager().getLoggerNames())) {
            if ((name.equals(ROOT) || name.startsWith(ROOT + ".")) && !names.contains(name)) {
                names.add(name);
            }
        }
        return viaJul(names);
    }

    /** Routes the JUL loggers of {@code names}; package-private for tests. */
    static SystemLoggerRouting viaJul(List<String> names) {
        Filter filter = new JulToCommonsLoggingFilter();
        List<Routed> routed = new ArrayList<>();
        for (String name : names) {
            // Held strongly by Routed: JUL keeps loggers weakly, and a collected logger would lose its filter.
            Logger logger = Logger.getLogger(name);
            routed.add(new Routed(logger, logger.getFilter(), logger.getLevel()));
            logger.setFilter(filter);
            logger.setLevel(Level.ALL);
        }
        return new SystemLoggerRouting(List.copyOf(routed));
    }

    /** @return the names of the JUL loggers routed (empty where the finder does the work) */
    public List<String> routedLoggers() {
        return this.routed.stream().map((r) -> r.logger().getName()).toList();
    }

    /** Removes the filters and restores the JUL loggers' levels. */
    @Override
    public void close() {
        for (Routed r : this.routed) {
            r.logger().setFilter(r.filter());
            r.logger().setLevel(r.level());
        }
    }

    private record Routed(Logger logger, Filter filter, Level level) {
    }
}
