package dev.asyncio.spring.autoconfigure;

import java.util.Arrays;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the {@link ConnectionFunction} bean of a configured handle: the bean named by
 * {@code async-io.handles.<name>.connection-function}; if unset, a {@code ConnectionFunction} bean named like the
 * handle; else the only {@code ConnectionFunction} bean. Anything else throws an
 * {@link AsyncIoConfigurationException} naming the property. Used while the context refreshes.
 */
final class ConnectionFunctionLookup {

    private final ListableBeanFactory beanFactory;

    ConnectionFunctionLookup(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    ConnectionFunction find(String handleName, String prefix, @Nullable String beanName) {
        String property = prefix + ".connection-function";
        if (beanName != null && !beanName.isBlank()) {
            return named(property, beanName);
        }
        if (this.beanFactory.containsBean(handleName)
                && this.beanFactory.isTypeMatch(handleName, ConnectionFunction.class)) {
            return this.beanFactory.getBean(handleName, ConnectionFunction.class);
        }
        String[] candidates = this.beanFactory.getBeanNamesForType(ConnectionFunction.class);
        if (candidates.length == 1) {
            return this.beanFactory.getBean(candidates[0], ConnectionFunction.class);
        }
        throw new AsyncIoConfigurationException(property, null,
                "is not set, there is no " + ConnectionFunction.class.getSimpleName() + " bean named '" + handleName
                        + "'" + ((candidates.length == 0) ? " and no other one"
                                : " and several others to choose from: " + Arrays.toString(candidates)),
                "Declare a " + ConnectionFunction.class.getName() + " bean and set " + property + " to its name.");
    }

    private ConnectionFunction named(String property, String beanName) {
        if (!this.beanFactory.containsBean(beanName)) {
            throw new AsyncIoConfigurationException(property, beanName, "names no bean",
                    "Declare a bean of type " + ConnectionFunction.class.getName() + " named '" + beanName
                            + "', or correct " + property + ".");
        }
        // Check the type before instantiating: the name may even be a handle bean, still in creation.
        Class<?> type = this.beanFactory.getType(beanName, false);
        Object bean = (type == null || ConnectionFunction.class.isAssignableFrom(type))
                ? this.beanFactory.getBean(beanName) : null;
        if (!(bean instanceof ConnectionFunction function)) {
            String actual = (bean != null) ? bean.getClass().getName() : String.valueOf(type.getName());
            throw new AsyncIoConfigurationException(property, beanName,
                    "names a bean of type " + actual + ", which is not a " + ConnectionFunction.class.getName(),
                    "Point " + property + " at a bean that implements " + ConnectionFunction.class.getName() + ".");
        }
        return function;
    }
}
