package dev.asyncio.spring;

import dev.asyncio.core.client.ClientOptions;

/**
 * Adjusts the core options of a client configured under {@code async-io.clients.<name>} before it is made: what the
 * properties do not cover — an unsolicited-frame handler, the request-timeout action, max pending requests, a
 * connection check of the pool, a listener, socket options. Beans of this type are applied in order, after the
 * properties, when the context starts the clients (on the thread that starts the context).
 */
@FunctionalInterface
public interface AsyncIoClientCustomizer {

    /**
     * @param name the client's name
     * @param options its options, already set from the properties; change them in place
     */
    void customize(String name, ClientOptions.Builder options);
}
