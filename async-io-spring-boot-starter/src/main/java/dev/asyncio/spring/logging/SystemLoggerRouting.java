package dev.asyncio.spring.logging;

import java.util.logging.Level;
import java.util.logging.Logger;

import org.jspecify.annotations.Nullable;

/**
 * Makes sure async-io's {@link System.Logger} lines reach Spring's logging for the whole life of the context, also
 * where the JDK cannot see {@link SpringLoggerFinder}: in an executable Spring Boot jar the starter sits in
 * {@code BOOT-INF/lib}, out of reach of the system class loader that looks up {@code System.LoggerFinder}, so the
 * JDK's default finder sends the lines to {@code java.util.logging}. There this class hangs a
 * {@link JulToCommonsLoggingHandler} on the JUL logger {@code dev.asyncio} (level {@code ALL}, not passing records
 * on to the root logger, so nothing is logged twice): Spring Boot's JUL bridge on the root logger may then go at
 * {@code ContextClosedEvent} without taking async-io's shutdown lines with it. Where the finder is in use, it does
 * nothing.
 *
 * <p>Made by the auto-configuration while the context refreshes; {@link #close()} (bean destruction, after the
 * lifecycle has stopped) puts the JUL logger back as it was.
 */
public final class SystemLoggerRouting implements AutoCloseable {

    /** The JUL logger all async-io loggers descend from. */
    public static final String ROOT = "dev.asyncio";

    /** Held strongly: JUL keeps loggers weakly, and a collected logger would lose the handler. */
    private final @Nullable Logger logger;

    private final @Nullable JulToCommonsLoggingHandler handler;

    private final @Nullable Level previousLevel;

    private final boolean previousUseParentHandlers;

    private SystemLoggerRouting(@Nullable Logger logger) {
        this.logger = logger;
        if (logger == null) {
            this.handler = null;
            this.previousLevel = null;
            this.previousUseParentHandlers = true;
            return;
        }
        this.handler = new JulToCommonsLoggingHandler();
        this.previousLevel = logger.getLevel();
        this.previousUseParentHandlers = logger.getUseParentHandlers();
        logger.addHandler(this.handler);
        logger.setUseParentHandlers(false);
        // Spring's levels decide, per record (the handler asks Commons Logging); the core logs little below INFO.
        logger.setLevel(Level.ALL);
    }

    /** @return the routing for this JVM: a no-op where {@link SpringLoggerFinder} is the JDK's finder */
    public static SystemLoggerRouting install() {
        boolean finder = System.LoggerFinder.getLoggerFinder() instanceof SpringLoggerFinder;
        return finder ? new SystemLoggerRouting(null) : viaJul(ROOT);
    }

    /** Routes the JUL logger {@code name} and its descendants; package-private for tests. */
    static SystemLoggerRouting viaJul(String name) {
        return new SystemLoggerRouting(Logger.getLogger(name));
    }

    /** @return whether this routing hangs a handler on JUL (false where the finder does the work) */
    public boolean isViaJul() {
        return this.logger != null;
    }

    /** Removes the handler and restores the JUL logger's level and parent handling. */
    @Override
    public void close() {
        if (this.logger != null) {
            this.logger.removeHandler(this.handler);
            this.logger.setUseParentHandlers(this.previousUseParentHandlers);
            this.logger.setLevel(this.previousLevel);
        }
    }
}
