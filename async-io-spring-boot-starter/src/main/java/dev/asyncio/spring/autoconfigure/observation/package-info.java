/**
 * Auto-configuration of the {@code asyncio.connection} observation (optional).
 */
@NullMarked
package dev.asyncio.spring.autoconfigure.observation;

import org.jspecify.annotations.NullMarked;
