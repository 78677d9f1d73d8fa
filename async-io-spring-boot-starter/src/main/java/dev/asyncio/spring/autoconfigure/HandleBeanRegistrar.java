package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import dev.asyncio.spring.ManagedAcceptingHandle;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.log.LogMessage;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean of type {@link ManagedAcceptingHandle} per {@code async-io.handles.<name>}, named
 * {@code <name>}, so that a handle can be injected by name; not for a handle whose {@code enabled} is false. The bean comes from {@link ConfiguredHandles#handle}.
 *
 * <p>The names are read from the property names, not by binding the values: a value that cannot be bound then fails
 * when the handle bean is made, and Spring Boot's report names that property — also when the application injects the
 * handle (a swallowed binding failure used to surface as "no bean of type ManagedAcceptingHandle").
 *
 * <p>If the application already has a bean of that name (typically the connection function, named like the handle),
 * the handle bean is named {@code <name>Handle} instead. The names registered are kept in a
 * {@link HandleBeanNames} bean, so that an AOT-built application can tell when its configured handles changed.
 */
class HandleBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    /** The bean name of {@link ConfiguredHandles}, the factory of the handle beans. */
    static final String CONFIGURED_HANDLES_BEAN = "asyncIoConfiguredHandles";

    /** The bean name of {@link HandleBeanNames}. */
    static final String HANDLE_BEAN_NAMES_BEAN = "asyncIoHandleBeanNames";

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(HandleBeanRegistrar.class);

    private @Nullable Environment environment;

    @Override
    public void setEnvironment(Environment environment) {
        this.environment = environment;
    }

    @Override
    public void registerBeanDefinitions(AnnotationMetadata metadata, BeanDefinitionRegistry registry) {
        if (this.environment == null) {
            return;
        }
        Set<String> handles = ConfiguredPropertyNames.enabledHandleNames(this.environment);
        List<String> registered = new ArrayList<>();
        for (String name : handles) {
            // Known at build time even when its bean name is taken twice over: AOT compares names, not beans.
            registered.add(name);
            String beanName = name;
            if (registry.containsBeanDefinition(beanName)) {
                beanName = name + "Handle";
                String chosen = beanName;
                LOGGER.debug(LogMessage.of(() -> "Bean name '" + name + "' is taken; async-io handle '" + name
                        + "' is registered as '" + chosen + "'"));
            }
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(ManagedAcceptingHandle.class);
            definition.setFactoryBeanName(CONFIGURED_HANDLES_BEAN);
            definition.setFactoryMethodName("handle");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setLazyInit(false);
            definition.setRole(BeanDefinition.ROLE_APPLICATION);
            registry.registerBeanDefinition(beanName, definition);
        }
        if (!registry.containsBeanDefinition(HANDLE_BEAN_NAMES_BEAN)) {
            RootBeanDefinition names = new RootBeanDefinition(HandleBeanNames.class);
            // Indexed, not generic: AOT writes indexed constructor arguments into the generated bean definitions.
            names.getConstructorArgumentValues().addIndexedArgumentValue(0, String.join(",", registered));
            names.setRole(BeanDefinition.ROLE_INFRASTRUCTURE);
            registry.registerBeanDefinition(HANDLE_BEAN_NAMES_BEAN, names);
        }
    }
}
