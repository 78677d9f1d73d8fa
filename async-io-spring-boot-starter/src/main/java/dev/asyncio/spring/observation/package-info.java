/**
 * Micrometer observations of async-io connections ({@code asyncio.connection}); optional: only with
 * {@code micrometer-observation} and an {@code ObservationRegistry} bean.
 */
@NullMarked
package dev.asyncio.spring.observation;

import org.jspecify.annotations.NullMarked;
