package dev.asyncio.core.internal.engine;

import dev.asyncio.core.StateOptions;

/**
 * Makes a public state with its engine, in the collection it belongs to: how the engine's connectors, UDP sockets
 * and accepting handles create states without reaching into the public classes.
 */
@FunctionalInterface
public interface StateFactory {
    /**
     * @param kind the socket and its kind
     * @param group the accepting handle, or {@code null}
     * @param options the state's options
     * @param connecting whether a connect is still under way
     * @return the new state's engine
     * @throws IllegalArgumentException if the channel cannot be registered
     */
    StateEngine create(ChannelKind kind, StateGroup group, StateOptions options, boolean connecting);
}
