/**
 * The {@code asyncio} health indicator (optional: only with {@code spring-boot-health}).
 */
@NullMarked
package dev.asyncio.spring.actuate.health;

import org.jspecify.annotations.NullMarked;
