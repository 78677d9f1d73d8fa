/**
 * Failure analyzers that turn async-io start-up failures into reports naming the property to fix.
 */
@NullMarked
package dev.asyncio.spring.diagnostics;

import org.jspecify.annotations.NullMarked;
