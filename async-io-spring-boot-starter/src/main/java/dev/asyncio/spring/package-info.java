/**
 * The async-io Spring Boot starter's public API: the {@link dev.asyncio.spring.AsyncIoRegistry} of collections and handles, {@link dev.asyncio.spring.ManagedAcceptingHandle} (the bean type of configured handles), {@link dev.asyncio.spring.HandleDefinition} for handles declared in code, and the configuration failure type.
 */
@NullMarked
package dev.asyncio.spring;

import org.jspecify.annotations.NullMarked;
