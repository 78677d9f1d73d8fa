package dev.asyncio.spring.test;

import java.lang.annotation.Annotation;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.annotation.AnnotationUtils;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.MergedContextConfiguration;
import org.springframework.test.context.TestContextAnnotationUtils;
import org.springframework.util.ClassUtils;

/**
 * Makes every async-io handle of a context built by Spring's TestContext framework bind an ephemeral port, as Spring
 * Boot keeps a {@code @SpringBootTest} from binding its web server's configured port: it adds
 * {@code async-io.ephemeral-ports=true} as the property source of lowest precedence, so that two test classes with
 * different properties (two cached contexts) never wait for each other's port. Tests read the bound port with
 * {@link LocalAsyncIoPort}.
 *
 * <p>A test keeps the configured ports with {@code @SpringBootTest(webEnvironment = DEFINED_PORT)} (as the web server
 * does) or by setting {@code async-io.ephemeral-ports=false} anywhere (test properties, application.yml, ...): any
 * explicit value wins over this default. Registered in {@code META-INF/spring.factories}; spring-test loads it once
 * per test class, on the test thread. Applications never load it outside tests.
 */
public class EphemeralPortsContextCustomizerFactory implements ContextCustomizerFactory {

    /** The name of the property source this factory adds. */
    public static final String SOURCE_NAME = "asyncIoTestEphemeralPorts";

    private static final String SPRING_BOOT_TEST = "org.springframework.boot.test.context.SpringBootTest";

    @Override
    public @Nullable ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return definedPort(testClass) ? null : new EphemeralPortsContextCustomizer();
    }

    /** Read by name: the starter does not depend on spring-boot-test. */
    @SuppressWarnings("unchecked")
    private static boolean definedPort(Class<?> testClass) {
        ClassLoader loader = testClass.getClassLoader();
        if (!ClassUtils.isPresent(SPRING_BOOT_TEST, loader)) {
            return false;
        }
        Class<? extends Annotation> type = (Class<? extends Annotation>) ClassUtils.resolveClassName(SPRING_BOOT_TEST,
                loader);
        Annotation annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass, type);
        Object environment = (annotation != null) ? AnnotationUtils.getValue(annotation, "webEnvironment") : null;
        return environment instanceof Enum<?> value && value.name().equals("DEFINED_PORT");
    }

    /** Adds the property source; equal to every other instance, so that it does not split Spring's context cache. */
    static final class EphemeralPortsContextCustomizer implements ContextCustomizer {

        @Override
        public void customizeContext(ConfigurableApplicationContext context,
                MergedContextConfiguration mergedConfig) {
            context.getEnvironment()
                .getPropertySources()
                .addLast(new MapPropertySource(SOURCE_NAME, Map.of("async-io.ephemeral-ports", "true")));
        }

        @Override
        public boolean equals(@Nullable Object other) {
            return other instanceof EphemeralPortsContextCustomizer;
        }

        @Override
        public int hashCode() {
            return EphemeralPortsContextCustomizer.class.hashCode();
        }
    }
}
