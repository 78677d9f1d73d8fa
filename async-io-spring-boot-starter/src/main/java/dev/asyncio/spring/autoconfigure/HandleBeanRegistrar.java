package dev.asyncio.spring.autoconfigure;

import java.lang.System.Logger.Level;
import java.util.Map;

import dev.asyncio.spring.ManagedAcceptingHandle;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.context.properties.bind.BindException;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean of type {@link ManagedAcceptingHandle} per {@code async-io.handles.<name>}, named
 * {@code <name>}, so that a handle can be injected by name. The bean comes from {@link ConfiguredHandles#handle}.
 *
 * <p>If the application already has a bean of that name (typically the connection function, named like the handle),
 * the handle bean is named {@code <name>Handle} instead.
 */
class HandleBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    /** The bean name of {@link ConfiguredHandles}, the factory of the handle beans. */
    static final String CONFIGURED_HANDLES_BEAN = "asyncIoConfiguredHandles";

    private static final System.Logger LOGGER = System.getLogger(HandleBeanRegistrar.class.getName());

    private @Nullable Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        Map<String, AsyncIoProperties.Handle> handles;
        try {
            if (this.environment == null) {
                return;
            }
            handles = Binder.get(this.environment)
                .bind(AsyncIoProperties.PREFIX + ".handles",
                        Bindable.mapOf(String.class, AsyncIoProperties.Handle.class))
                .orElse(Map.of());
        }
        catch (BindException ex) {
            // Binding AsyncIoProperties itself fails later with Boot's own report naming the property.
            return;
        }
        for (String name : handles.keySet()) {
            String beanName = name;
            if (registry.containsBeanDefinition(beanName)) {
                beanName = name + "Handle";
                String taken = name;
                String chosen = beanName;
                LOGGER.log(Level.DEBUG, () -> "Bean name '" + taken + "' is taken; async-io handle '" + taken
                        + "' is registered as '" + chosen + "'");
            }
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(ManagedAcceptingHandle.class);
            definition.setFactoryBeanName(CONFIGURED_HANDLES_BEAN);
            definition.setFactoryMethodName("handle");
            definition.getConstructorArgumentValues().addGenericArgumentValue(name);
            definition.setLazyInit(false);
            definition.setRole(BeanDefinition.ROLE_APPLICATION);
            registry.registerBeanDefinition(beanName, definition);
        }
    }
}
