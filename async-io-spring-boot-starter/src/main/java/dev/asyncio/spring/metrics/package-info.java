/**
 * Micrometer meters for async-io handles and collections (optional: only with Micrometer and a {@code MeterRegistry}).
 */
@NullMarked
package dev.asyncio.spring.metrics;

import org.jspecify.annotations.NullMarked;
