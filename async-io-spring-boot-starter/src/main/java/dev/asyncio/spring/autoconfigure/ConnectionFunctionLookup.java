package dev.asyncio.spring.autoconfigure;

import java.util.Arrays;

import dev.asyncio.core.ConnectionFunction;
import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.ManagedAcceptingHandle;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * Finds the {@link ConnectionFunction} bean of a configured handle: the bean named by
 * {@code async-io.handles.<name>.connection-function}; if unset, a {@code ConnectionFunction} bean named like the
 * handle; else the only {@code ConnectionFunction} bean. For a framed handle the same, with {@link FrameHandler}
 * beans. Anything else throws an
 * {@link AsyncIoConfigurationException} naming the property. Used while the context refreshes.
 */
final class ConnectionFunctionLookup {

    private final ListableBeanFactory beanFactory;

    ConnectionFunctionLookup(ListableBeanFactory beanFactory) {
        this.beanFactory = beanFactory;
    }

    /** @return "; the T beans are: [...]" or "; there is no T bean" */
    private String available(Class<?> type) {
        String[] names = this.beanFactory.getBeanNamesForType(type);
        return (names.length == 0) ? "; there is no " + type.getSimpleName() + " bean"
                : "; the " + type.getSimpleName() + " beans are " + Arrays.toString(names);
    }

    ConnectionFunction find(String handleName, String prefix, @Nullable String beanName) {
        ConnectionFunction function = find(handleName, prefix, beanName, ConnectionFunction.class);
        return function;
    }

    /**
     * @param type {@link ConnectionFunction} for a plain handle, {@link FrameHandler} for a framed one
     * @return the bean of that type the handle names, or the one found by its name or as the only one
     */
    <T> T find(String handleName, String prefix, @Nullable String beanName, Class<T> type) {
        String property = prefix + ".connection-function";
        if (beanName != null && !beanName.isBlank()) {
            return named(handleName, property, beanName, type, prefix);
        }
        if (this.beanFactory.containsBean(handleName) && this.beanFactory.isTypeMatch(handleName, type)) {
            return this.beanFactory.getBean(handleName, type);
        }
        String[] candidates = this.beanFactory.getBeanNamesForType(type);
        if (candidates.length == 1) {
            return this.beanFactory.getBean(candidates[0], type);
        }
        throw new AsyncIoConfigurationException(property, null,
                "is not set, there is no " + type.getSimpleName() + " bean named '" + handleName
                        + "'" + ((candidates.length == 0) ? " and no other one"
                                : " and several others to choose from: " + Arrays.toString(candidates)),
                "Declare a " + type.getName() + " bean and set " + property + " to its name.");
    }

    private <T> T named(String handleName, String property, String beanName, Class<T> wanted, String prefix) {
        if (!this.beanFactory.containsBean(beanName)) {
            throw new AsyncIoConfigurationException(property, beanName, "names no bean" + available(wanted),
                    "Declare a bean of type " + wanted.getName() + " named '" + beanName
                            + "', or correct " + property + ".");
        }
        // Check the type before instantiating: the name may even be a handle bean, still in creation.
        Class<?> type = this.beanFactory.getType(beanName, false);
        if (type != null && ManagedAcceptingHandle.class.isAssignableFrom(type)) {
            // Typically the handle's own bean, which took the name because no other bean had it.
            String whose = beanName.equals(handleName) ? "the bean of the async-io handle itself (a handle's bean is "
                    + "named like the handle when no other bean has that name)" : "an async-io handle's bean";
            throw new AsyncIoConfigurationException(property, beanName,
                    "names no " + wanted.getSimpleName() + " bean: '" + beanName + "' is " + whose
                            + ", of type " + type.getName() + available(wanted),
                    "Declare a " + wanted.getName() + " bean named '" + beanName + "' (e.g. an "
                            + "@Bean method " + beanName + "(); the handle's bean is then named '" + beanName
                            + "Handle'), or set " + property + " to the name of your connection function bean.");
        }
        Object bean = (type == null || wanted.isAssignableFrom(type)) ? this.beanFactory.getBean(beanName) : null;
        if (bean == null || !wanted.isInstance(bean)) {
            if (type != null && wanted == ConnectionFunction.class && FrameHandler.class.isAssignableFrom(type)) {
                throw new AsyncIoConfigurationException(prefix + ".framing.type", null,
                        "is not set, but " + property + " names the " + FrameHandler.class.getSimpleName() + " '"
                                + beanName + "', which needs a framing",
                        "Set " + prefix + ".framing.type (e.g. length-prefix), or point " + property
                                + " at a " + ConnectionFunction.class.getName() + ".");
            }
            String actual = (bean != null) ? bean.getClass().getName() : String.valueOf(type.getName());
            String hint = (wanted == FrameHandler.class) ? " (" + prefix + ".framing.type is set, so the handle "
                    + "needs a " + FrameHandler.class.getName() + ")" : "";
            throw new AsyncIoConfigurationException(property, beanName,
                    "names a bean of type " + actual + ", which is not a " + wanted.getName() + hint,
                    "Point " + property + " at a bean that implements " + wanted.getName() + ".");
        }
        return wanted.cast(bean);
    }
}
