/**
 * The seam that brings async-io's log lines into Spring's logging: a {@link java.lang.System.LoggerFinder} that
 * routes {@link java.lang.System.Logger} (which the core uses, depending on the JDK only) to Commons Logging, and so
 * to SLF4J/Logback or Log4j 2 as Spring Boot configures them.
 */
@NullMarked
package dev.asyncio.spring.logging;

import org.jspecify.annotations.NullMarked;
