package dev.asyncio.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.asyncio.spring.AsyncIoConfigurationException;
import org.jspecify.annotations.Nullable;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.BeanUtils;
import org.springframework.boot.context.properties.bind.DataObjectPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.core.env.Environment;
import org.springframework.core.log.LogMessage;

/**
 * Finds {@code async-io.*} properties that match no property of {@link AsyncIoProperties} — a typo such as
 * {@code async-io.handles.echo.read-timout} that binding would silently ignore — and reports each with the nearest
 * known key: a WARN line by default, an {@link AsyncIoConfigurationException} when
 * {@code async-io.fail-on-unknown-properties=true}. The whole {@code async-io} namespace is ours, so every key under
 * it can be checked. The known keys are read from the properties classes themselves, so they never go stale.
 *
 * <p>Runs once while the context refreshes; stateless.
 */
final class UnknownPropertyCheck {

    // Commons Logging, as Spring itself: it stays connected to the log configuration through the whole shutdown.
    private static final Log LOGGER = LogFactory.getLog(UnknownPropertyCheck.class);

    private UnknownPropertyCheck() {
    }

    /**
     * @param environment where the property names come from
     * @param fail whether an unknown property fails start-up
     * @return the unknown properties found (each logged unless {@code fail})
     * @throws AsyncIoConfigurationException for the first unknown property when {@code fail}
     */
    static List<String> check(Environment environment, boolean fail) {
        List<String> unknown = new ArrayList<>();
        for (ConfigurationPropertyName name : ConfiguredPropertyNames.all(environment)) {
            String variable = ConfiguredPropertyNames.environmentVariable(environment, name);
            if (variable != null && !EnvironmentVariableCheck.isOurs(variable)) {
                continue;
            }
            String problem = (variable != null) ? EnvironmentVariableCheck.problem(variable) : problem(name);
            if (problem == null) {
                continue;
            }
            String property = (variable != null) ? EnvironmentVariableCheck.describe(variable) : name.toString();
            unknown.add(property);
            if (fail) {
                throw new AsyncIoConfigurationException(property, ConfiguredPropertyNames.value(environment, name),
                        "is not a known property; " + problem,
                        "Correct the name, or remove it. Set async-io.fail-on-unknown-properties=false to only log "
                                + "unknown async-io properties.");
            }
            LOGGER.warn(LogMessage.of(() -> property + " is not a known property; " + problem
                    + " (set async-io.fail-on-unknown-properties=true to fail start-up instead)"));
        }
        return unknown;
    }

    /** @return what to say about an unknown name ("did you mean …?"), or {@code null} if the name is known */
    static @Nullable String problem(ConfigurationPropertyName name) {
        Class<?> type = AsyncIoProperties.class;
        int i = ConfiguredPropertyNames.PREFIX.getNumberOfElements();
        while (i < name.getNumberOfElements()) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.DASHED);
            Map<String, PropertyDescriptor> properties = properties(type);
            // Compared as binding compares them: case and dashes do not count (readTimeout, READTIMEOUT, read-timeout).
            PropertyDescriptor property = properties.get(uniform(element));
            if (property == null) {
                List<String> known = properties.values()
                    .stream()
                    .map((d) -> DataObjectPropertyName.toDashedForm(d.getName()))
                    .toList();
                String nearest = nearest(element, known);
                return (nearest != null) ? "did you mean " + nearest + "?" : "known here: " + String.join(", ", known);
            }
            Class<?> next = property.getPropertyType();
            i++;
            if (Map.class.isAssignableFrom(next)) {
                // collections.<name>, handles.<name>: the key is the user's; its value is a nested type.
                i++;
                next = mapValueType(type, property.getName());
            }
            else if (java.util.Collection.class.isAssignableFrom(next)) {
                // clients.<name>.addresses[0]: the index is the user's; the element is a plain value.
                while (i < name.getNumberOfElements() && name.isNumericIndex(i)) {
                    i++;
                }
            }
            if (next == null || !isNested(next)) {
                return (i < name.getNumberOfElements()) ? element + " has no nested properties" : null;
            }
            type = next;
        }
        return null;
    }

    static @Nullable Class<?> mapValueType(Class<?> owner, String property) {
        if (owner == AsyncIoProperties.class && property.equals("collections")) {
            return AsyncIoProperties.Collection.class;
        }
        if (owner == AsyncIoProperties.class && property.equals("handles")) {
            return AsyncIoProperties.Handle.class;
        }
        if (owner == AsyncIoProperties.class && property.equals("clients")) {
            return ClientProperties.class;
        }
        return null;
    }

    static boolean isNested(Class<?> type) {
        return (type.getEnclosingClass() == AsyncIoProperties.class || type == FramingProperties.class
                || type == ClientProperties.class || type.getEnclosingClass() == ClientProperties.class)
                && !type.isEnum();
    }

    /** @return the bound properties of {@code type} (those with a getter) by their uniform names */
    static Map<String, PropertyDescriptor> properties(Class<?> type) {
        Map<String, PropertyDescriptor> result = new java.util.TreeMap<>();
        for (PropertyDescriptor descriptor : BeanUtils.getPropertyDescriptors(type)) {
            if (descriptor.getReadMethod() != null && !descriptor.getName().equals("class")) {
                result.put(uniform(descriptor.getName()), descriptor);
            }
        }
        return result;
    }

    static String uniform(String name) {
        return name.replace("-", "").toLowerCase(java.util.Locale.ROOT);
    }

    /** @return the known name closest to {@code element} when it is close enough to be a typo */
    static @Nullable String nearest(String element, Iterable<String> known) {
        String best = null;
        int bestDistance = Integer.MAX_VALUE;
        for (String candidate : known) {
            int distance = distance(element, candidate);
            if (distance < bestDistance) {
                best = candidate;
                bestDistance = distance;
            }
        }
        return (best != null && bestDistance <= Math.max(2, best.length() / 3)) ? best : null;
    }

    /** Levenshtein distance. */
    private static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int cost = (a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1;
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
