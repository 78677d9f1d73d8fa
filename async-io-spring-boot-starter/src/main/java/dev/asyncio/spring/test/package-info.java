/**
 * Test support: {@link dev.asyncio.spring.test.LocalAsyncIoPort} injects the bound port of a handle into a test's
 * field or method parameter, as Spring Boot's {@code @LocalServerPort} does for the web server. Needs JUnit Jupiter
 * and {@code spring-test}, which an application's tests have.
 */
@NullMarked
package dev.asyncio.spring.test;

import org.jspecify.annotations.NullMarked;
