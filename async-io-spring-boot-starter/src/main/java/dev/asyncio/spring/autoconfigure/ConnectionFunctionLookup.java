package dev.asyncio.spring.autoconfigure;

import java.util.Arrays;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.ManagedAcceptingHandle;
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

    /** @return "; the ConnectionFunction beans are: [...]" or "; there is no ConnectionFunction bean" */
    private String available() {
        String[] names = this.beanFactory.getBeanNamesForType(ConnectionFunction.class);
        return (names.length == 0) ? "; there is no " + ConnectionFunction.class.getSimpleName() + " bean"
                : "; the " + ConnectionFunction.class.getSimpleName() + " beans are " + Arrays.toString(names);
    }

    ConnectionFunction find(String handleName, String prefix, @Nullable String beanName) {
        String property = prefix + ".connection-function";
        if (beanName != null && !beanName.isBlank()) {
            return named(handleName, property, beanName);
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

    private ConnectionFunction named(String handleName, String property, String beanName) {
        if (!this.beanFactory.containsBean(beanName)) {
            throw new AsyncIoConfigurationException(property, beanName, "names no bean" + available(),
                    "Declare a bean of type " + ConnectionFunction.class.getName() + " named '" + beanName
                            + "', or correct " + property + ".");
        }
        // Check the type before instantiating: the name may even be a handle bean, still in creation.
        Class<?> type = this.beanFactory.getType(beanName, false);
        if (type != null && ManagedAcceptingHandle.class.isAssignableFrom(type)) {
            // Typically the handle's own bean, which took the name because no other bean had it.
            String whose = beanName.equals(handleName) ? "the bean of the async-io handle itself (a handle's bean is "
                    + "named like the handle when no other bean has that name)" : "an async-io handle's bean";
            throw new AsyncIoConfigurationException(property, beanName,
                    "names no " + ConnectionFunction.class.getSimpleName() + " bean: '" + beanName + "' is " + whose
                            + ", of type " + type.getName() + available(),
                    "Declare a " + ConnectionFunction.class.getName() + " bean named '" + beanName + "' (e.g. an "
                            + "@Bean method " + beanName + "(); the handle's bean is then named '" + beanName
                            + "Handle'), or set " + property + " to the name of your connection function bean.");
        }
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
