/**
 * The LispWorks Async-I/O API on Java NIO: wait-state-collections, async-io-states and accepting handles.
 *
 * <p>Nullness: every parameter and return value of this package is non-null unless marked
 * {@link org.jspecify.annotations.Nullable @Nullable}, where {@code null} keeps its LispWorks meaning ({@code nil}:
 * no timeout, no callback, all interfaces, ...). The JSpecify annotations are an optional dependency: nothing needs
 * them at run time.
 */
@NullMarked
package dev.asyncio.core;

import org.jspecify.annotations.NullMarked;
