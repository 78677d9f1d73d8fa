package dev.asyncio.spring;

/**
 * Adjusts the definition of every handle an {@link AsyncIoRegistry} binds from a definition (configured handles and
 * those {@linkplain AsyncIoRegistry#register registered} in code; adopted handles are bound by the application and
 * are not customized). The starter's observation support is one: it wraps the connection function and adds a
 * close callback.
 *
 * <p>Called once per handle, on the thread that registers it (context refresh), before the handle is bound.
 * A customizer must return a definition with the same name and collection; it must not block.
 */
@FunctionalInterface
public interface HandleDefinitionCustomizer {

    /**
     * @param definition the definition so far
     * @return the definition to bind (the same one when there is nothing to change)
     */
    HandleDefinition customize(HandleDefinition definition);
}
