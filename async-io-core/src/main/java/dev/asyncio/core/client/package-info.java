/**
 * Clients that own their connections to a service: addresses with failover, reconnect with exponential backoff
 * and jitter, one shared connection, a pool or a connection per use, and request/reply with in-order (FIFO)
 * correlation over the core's {@link dev.asyncio.core.Framing framing}.
 *
 * <p>Built only on the public API of {@code dev.asyncio.core} ({@code connectTcp}, {@code connectUnix},
 * {@link dev.asyncio.core.FrameReader}, {@link dev.asyncio.core.FrameWriter}, loop timers), as a user could build
 * it; the core's {@code ArchitectureTest} fails the build if this package reaches into {@code internal}. Start at
 * {@link dev.asyncio.core.client.AsyncIoClient}.
 *
 * <p>Nullness: as in {@code dev.asyncio.core}, everything is non-null unless marked
 * {@link org.jspecify.annotations.Nullable @Nullable}.
 */
@NullMarked
package dev.asyncio.core.client;

import org.jspecify.annotations.NullMarked;
