package dev.asyncio.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Injects the port an async-io handle is bound to into a field or a test-method parameter of a
 * {@code @SpringBootTest} (or any test run with Spring's {@code SpringExtension}): {@code @LocalAsyncIoPort("echo")
 * int port}. The value is the property {@code local.async-io.handles.<name>.port} that the starter publishes when the
 * handle binds, as Spring Boot publishes {@code local.server.port}; {@code @Value("${local.async-io.handles.echo.port}")}
 * reads the same property.
 *
 * <p>Fields are set before each test method (after Spring has injected the test instance); parameters are resolved
 * when the method is called. The type may be {@code int}, {@code Integer}, {@code long}, {@code Long} or
 * {@code String}. Naming a handle that is not bound fails the test with a message that lists the bound handles.
 * Under Spring's test framework every handle binds an ephemeral port (see
 * {@link EphemeralPortsContextCustomizerFactory}), so several test contexts run side by side; this annotation is how
 * a test finds the port.
 */
@Target({ ElementType.FIELD, ElementType.PARAMETER })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@ExtendWith(LocalAsyncIoPortExtension.class)
public @interface LocalAsyncIoPort {

    /** @return the handle's name, the key under {@code async-io.handles} */
    String value();
}
