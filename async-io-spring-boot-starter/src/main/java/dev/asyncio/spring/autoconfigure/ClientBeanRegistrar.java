package dev.asyncio.spring.autoconfigure;

import java.util.LinkedHashSet;
import java.util.Set;

import dev.asyncio.spring.ManagedAsyncIoClient;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.EnvironmentAware;
import org.springframework.context.annotation.ImportBeanDefinitionRegistrar;
import org.springframework.core.env.Environment;
import org.springframework.core.log.LogMessage;
import org.springframework.core.type.AnnotationMetadata;

/**
 * Registers one bean of type {@link ManagedAsyncIoClient} per {@code async-io.clients.<name>} (not for a client whose
 * {@code enabled} is false), named {@code <name>} — or {@code <name>Client} when that name is taken (by a handle of
 * the same name, or an application bean) — so that a client is injected by name:
 * {@code @Qualifier("kv-upstream") ManagedAsyncIoClient upstream}. The bean comes from
 * {@link ConfiguredClients#client}. Runs after {@link HandleBeanRegistrar}, so a handle keeps its name.
 *
 * <p>As for handles, the names are read from the property names without binding the values, so that a value that
 * cannot be bound fails where Spring Boot reports it naming the property.
 */
class ClientBeanRegistrar implements ImportBeanDefinitionRegistrar, EnvironmentAware {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(ClientBeanRegistrar.class);

    private static final ConfigurationPropertyName CLIENTS = ConfigurationPropertyName
        .of(AsyncIoProperties.PREFIX + ".clients");

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
        for (String name : enabledClientNames(this.environment)) {
            String beanName = name;
            if (registry.containsBeanDefinition(beanName)) {
                beanName = name + "Client";
                String chosen = beanName;
                LOGGER.debug(LogMessage.of(() -> "Bean name '" + name + "' is taken; async-io client '" + name
                        + "' is registered as '" + chosen + "'"));
            }
            if (registry.containsBeanDefinition(beanName)) {
                continue;
            }
            RootBeanDefinition definition = new RootBeanDefinition();
            definition.setTargetType(ManagedAsyncIoClient.class);
            definition.setFactoryBeanName(AsyncIoClientsConfiguration.CONFIGURED_CLIENTS_BEAN);
            definition.setFactoryMethodName("client");
            definition.getConstructorArgumentValues().addIndexedArgumentValue(0, name);
            definition.setRole(BeanDefinition.ROLE_APPLICATION);
            registry.registerBeanDefinition(beanName, definition);
        }
    }

    /**
     * @return the client names under {@code async-io.clients} whose {@code enabled} is not false, in order of
     * appearance; a value that cannot be read as a boolean counts as enabled, so that binding reports it
     */
    static Set<String> enabledClientNames(Environment environment) {
        Set<String> names = new LinkedHashSet<>();
        for (ConfigurationPropertyName name : ConfiguredPropertyNames.all(environment)) {
            if (CLIENTS.isAncestorOf(name)) {
                names.add(name.getElement(CLIENTS.getNumberOfElements(), ConfigurationPropertyName.Form.ORIGINAL));
            }
        }
        Binder binder = Binder.get(environment);
        names.removeIf((name) -> {
            try {
                return !binder.bind(CLIENTS.append(name).append("enabled"), Bindable.of(Boolean.class)).orElse(true);
            }
            catch (RuntimeException ex) {
                return false;
            }
        });
        return names;
    }
}
