package dev.asyncio.spring.test;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.Optional;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

import org.springframework.context.ApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.EnumerablePropertySource;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.junit.jupiter.SpringExtension;

/**
 * The JUnit Jupiter extension behind {@link LocalAsyncIoPort}: sets annotated fields before each test and resolves
 * annotated parameters, reading {@code local.async-io.handles.<name>.port} from the test's application context
 * (Spring's {@link SpringExtension} must run the test). Registered by the annotation itself; not meant to be
 * registered by hand. Runs on JUnit's test thread.
 */
public class LocalAsyncIoPortExtension implements BeforeEachCallback, ParameterResolver {

    /**
     * Sets every {@link LocalAsyncIoPort} field of the test instances. Done before each test rather than at
     * instance post-processing, because JUnit registers extensions declared on fields only after that.
     * @param context the test's context
     */
    @Override
    public void beforeEach(ExtensionContext context) throws Exception {
        for (Object instance : context.getRequiredTestInstances().getAllInstances()) {
            for (Class<?> type = instance.getClass(); type != null && type != Object.class; type = type
                .getSuperclass()) {
                for (Field field : type.getDeclaredFields()) {
                    LocalAsyncIoPort port = field.getAnnotation(LocalAsyncIoPort.class);
                    if (port != null && !Modifier.isStatic(field.getModifiers())) {
                        field.setAccessible(true);
                        field.set(instance, port(context, port.value(), field.getType(), field.toString()));
                    }
                }
            }
        }
    }

    /** @return whether the parameter carries {@link LocalAsyncIoPort} */
    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.isAnnotated(LocalAsyncIoPort.class);
    }

    /** @return the bound port of the handle the parameter names */
    @Override
    public Object resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        Optional<LocalAsyncIoPort> port = parameterContext.findAnnotation(LocalAsyncIoPort.class);
        String name = port.map(LocalAsyncIoPort::value).orElseThrow();
        try {
            return port(extensionContext, name, parameterContext.getParameter().getType(),
                    parameterContext.getParameter().toString());
        }
        catch (IllegalStateException ex) {
            throw new ParameterResolutionException(ex.getMessage(), ex);
        }
    }

    private static Object port(ExtensionContext context, String name, Class<?> type, String target) {
        ApplicationContext application = SpringExtension.getApplicationContext(context);
        Environment environment = application.getEnvironment();
        String property = "local.async-io.handles." + name + ".port";
        Object value = environment.getProperty(property, wrapper(type));
        if (value == null) {
            throw new IllegalStateException("@LocalAsyncIoPort(\"" + name + "\") on " + target + ": no handle named '"
                    + name + "' is bound (" + property + " is not set; bound: " + bound(environment) + ")");
        }
        return value;
    }

    private static Class<?> wrapper(Class<?> type) {
        if (type == int.class) {
            return Integer.class;
        }
        if (type == long.class) {
            return Long.class;
        }
        return type;
    }

    private static String bound(Environment environment) {
        if (!(environment instanceof ConfigurableEnvironment configurable)) {
            return "unknown";
        }
        PropertySource<?> source = configurable.getPropertySources().get("async-io.ports");
        if (!(source instanceof EnumerablePropertySource<?> ports)) {
            return "none";
        }
        return StreamSupport.stream(java.util.Arrays.spliterator(ports.getPropertyNames()), false)
            .map((n) -> n.substring("local.async-io.handles.".length(), n.length() - ".port".length()))
            .sorted()
            .collect(Collectors.joining(", "));
    }
}
