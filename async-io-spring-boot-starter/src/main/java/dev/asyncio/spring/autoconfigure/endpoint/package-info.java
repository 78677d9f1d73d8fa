/**
 * Auto-configuration of async-io's endpoint support (optional: only when its Spring Boot module is on the classpath).
 */
@NullMarked
package dev.asyncio.spring.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
