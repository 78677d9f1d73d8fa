/**
 * The {@code asyncio} actuator endpoint (optional: only with the actuator, when the endpoint is exposed).
 */
@NullMarked
package dev.asyncio.spring.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
