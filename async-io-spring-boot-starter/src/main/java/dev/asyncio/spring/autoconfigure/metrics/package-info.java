/**
 * Auto-configuration of async-io's metrics support (optional: only when its Spring Boot module is on the classpath).
 */
@NullMarked
package dev.asyncio.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
