/**
 * Auto-configuration of async-io: {@code async-io.*} properties, the registry, one handle bean per configured handle, and the lifecycle beans.
 */
@NullMarked
package dev.asyncio.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
