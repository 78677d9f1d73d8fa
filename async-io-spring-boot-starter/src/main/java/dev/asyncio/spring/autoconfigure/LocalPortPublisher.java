package dev.asyncio.spring.autoconfigure;

import java.util.concurrent.ConcurrentHashMap;
import java.util.Map;

import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.AsyncIoRegistryListener;
import dev.asyncio.spring.ManagedAcceptingHandle;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;

/**
 * Publishes the bound port of every handle as {@code local.async-io.handles.<name>.port}, the way Spring Boot
 * publishes {@code local.server.port}: in a property source named {@value #SOURCE_NAME} of the context's environment
 * and of its parents'. Tests inject it with {@code @LocalAsyncIoPort("name")} or
 * {@code @Value("${local.async-io.handles.name.port}")}. Re-opening a handle publishes its port again.
 *
 * <p>Listens to the registry; runs on the thread that bound the handle.
 */
final class LocalPortPublisher implements AsyncIoRegistryListener {

    /** The name of the property source holding the ports. */
    static final String SOURCE_NAME = "async-io.ports";

    /** @return the property that holds a handle's bound port */
    static String property(String handleName) {
        return "local.async-io.handles." + handleName + ".port";
    }

    private final ApplicationContext context;

    LocalPortPublisher(AsyncIoRegistry registry, ApplicationContext context) {
        this.context = context;
        registry.addListener(this);
    }

    @Override
    public void handleBound(ManagedAcceptingHandle handle) {
        for (ApplicationContext c = this.context; c != null; c = c.getParent()) {
            if (c instanceof ConfigurableApplicationContext configurable) {
                publish(configurable.getEnvironment(), property(handle.name()), handle.localPort());
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static void publish(ConfigurableEnvironment environment, String property, int port) {
        MutablePropertySources sources = environment.getPropertySources();
        PropertySource<?> source = sources.get(SOURCE_NAME);
        if (source == null) {
            source = new MapPropertySource(SOURCE_NAME, new ConcurrentHashMap<>());
            sources.addFirst(source);
        }
        ((Map<String, Object>) source.getSource()).put(property, port);
    }
}
