package dev.asyncio.core.internal.accept;

import dev.asyncio.core.internal.engine.StateFactory;
import dev.asyncio.core.internal.loop.EventLoop;

/**
 * A collection that serves an accepting handle's connections: its own, or one of its {@code spreadOver} workers.
 *
 * @param name the collection's name, for messages
 * @param loop its loop
 * @param factory makes states in it
 */
public record Worker(String name, EventLoop loop, StateFactory factory) {
}
