/**
 * The two {@link org.springframework.context.SmartLifecycle} phases of async-io: bind on start; drain gracefully, then close, on stop (the phases of Spring Boot's web server).
 */
@NullMarked
package dev.asyncio.spring.lifecycle;

import org.jspecify.annotations.NullMarked;
