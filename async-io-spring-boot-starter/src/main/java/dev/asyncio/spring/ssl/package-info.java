/**
 * TLS from Spring Boot SSL bundles for async-io handles: an {@link javax.net.ssl.SSLContext} that a bundle reload
 * swaps underneath live handles.
 */
@NullMarked
package dev.asyncio.spring.ssl;

import org.jspecify.annotations.NullMarked;
