/**
 * Auto-configuration of async-io's health support (optional: only when its Spring Boot module is on the classpath).
 */
@NullMarked
package dev.asyncio.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
