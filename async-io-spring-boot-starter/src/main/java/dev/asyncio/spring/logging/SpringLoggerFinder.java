package dev.asyncio.spring.logging;

import org.apache.commons.logging.LogFactory;

/**
 * A {@link System.LoggerFinder} that hands out {@link CommonsLoggingSystemLogger}s: every {@link System.Logger} of
 * the JVM — the async-io core's, and the JDK's own — logs through Commons Logging ({@code spring-jcl}), which Spring
 * Boot routes to its logging system.
 *
 * <p>Why a finder: the core depends on the JDK only, so it logs through {@code System.Logger}. Without this finder
 * the JDK sends those lines to {@code java.util.logging}, whose bridge to SLF4J Spring Boot removes when the context
 * closes — before the lifecycle beans stop — so every line of a graceful shutdown was lost. Commons Logging stays
 * connected for the whole life of the JVM. The JDK finds this class through
 * {@code META-INF/services/java.lang.System$LoggerFinder} with the system class loader, the first time any code asks
 * for a {@code System.Logger}; it takes the first finder it sees, so an application that brings another (such as
 * {@code slf4j-jdk-platform-logging}) may get that one instead, which routes to SLF4J just as well.
 *
 * <p>Thread-safe; loggers are cheap and made on demand.
 */
public final class SpringLoggerFinder extends System.LoggerFinder {

    /** Made by the JDK's service loader. */
    public SpringLoggerFinder() {
    }

    /**
     * @param name the logger name
     * @param module the module asking (not used: names are enough, as in every Spring logging configuration)
     * @return a logger writing to the Commons Logging log of that name
     */
    @Override
    public System.Logger getLogger(String name, Module module) {
        return new CommonsLoggingSystemLogger(name, LogFactory.getLog(name));
    }
}
