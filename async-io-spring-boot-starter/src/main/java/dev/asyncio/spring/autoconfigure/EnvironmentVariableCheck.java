package dev.asyncio.spring.autoconfigure;

import java.beans.PropertyDescriptor;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.DataObjectPropertyName;

/**
 * Checks one environment variable meant for async-io ({@code ASYNC_IO_*} or {@code ASYNCIO_*}) against the
 * properties of {@link AsyncIoProperties}, the way Spring Boot maps variables to properties: underscores separate
 * elements, and a property's element may span several of them ({@code MAX_READ} or {@code MAXREAD} for
 * {@code max-read}). An unknown one is reported under the variable's own name, with the property it probably means
 * and that property's variable — never under a relaxed name that is neither. Stateless.
 */
final class EnvironmentVariableCheck {

    private static final List<String> PREFIXES = List.of("ASYNC_IO_", "ASYNCIO_");

    private EnvironmentVariableCheck() {
    }

    /** @return whether {@code variable} is one of async-io's (by its prefix) */
    static boolean isOurs(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        return PREFIXES.stream().anyMatch(upper::startsWith);
    }

    /** @return how the report names a variable */
    static String describe(String variable) {
        return variable + " (environment variable)";
    }

    /**
     * @param variable an environment variable for which {@link #isOurs} holds
     * @return what to say about it ("did you mean …?"), or {@code null} if it sets a known property
     */
    static @Nullable String problem(String variable) {
        String upper = variable.toUpperCase(Locale.ROOT);
        String prefix = PREFIXES.stream().filter(upper::startsWith).findFirst().orElseThrow();
        List<String> tokens = Arrays.stream(upper.substring(prefix.length()).split("_"))
            .filter((token) -> !token.isEmpty())
            .map((token) -> token.toLowerCase(Locale.ROOT))
            .toList();
        Class<?> type = AsyncIoProperties.class;
        StringBuilder path = new StringBuilder(AsyncIoProperties.PREFIX);
        int i = 0;
        while (i < tokens.size()) {
            Map<String, PropertyDescriptor> properties = UnknownPropertyCheck.properties(type);
            int end = -1;
            PropertyDescriptor property = null;
            for (int j = i + 1; j <= tokens.size() && property == null; j++) {
                property = properties.get(String.join("", tokens.subList(i, j)));
                end = j;
            }
            if (property == null) {
                return suggestion(prefix, path, tokens.subList(i, tokens.size()), properties);
            }
            path.append('.').append(DataObjectPropertyName.toDashedForm(property.getName()));
            i = end;
            Class<?> next = property.getPropertyType();
            if (Map.class.isAssignableFrom(next)) {
                if (i < tokens.size()) {
                    path.append('.').append(tokens.get(i));
                }
                i++;
                next = UnknownPropertyCheck.mapValueType(type, property.getName());
            }
            if (next == null || !UnknownPropertyCheck.isNested(next)) {
                return (i < tokens.size()) ? path + " has no nested properties" : null;
            }
            type = next;
        }
        return null;
    }

    private static String suggestion(String prefix, CharSequence path, List<String> rest,
            Map<String, PropertyDescriptor> properties) {
        List<String> known = new ArrayList<>();
        properties.values().forEach((d) -> known.add(DataObjectPropertyName.toDashedForm(d.getName())));
        // The element may be any number of the remaining words: compare each run with the known names, undashed.
        String best = null;
        for (int j = 1; j <= rest.size() && best == null; j++) {
            String candidate = String.join("", rest.subList(0, j));
            List<String> undashed = known.stream().map((k) -> k.replace("-", "")).toList();
            String nearest = UnknownPropertyCheck.nearest(candidate, undashed);
            if (nearest != null) {
                best = known.get(undashed.indexOf(nearest));
            }
        }
        if (best == null) {
            return "known under " + path + ": " + String.join(", ", known);
        }
        String property = path + "." + best;
        String variable = prefix + property.substring(AsyncIoProperties.PREFIX.length() + 1)
            .replace("-", "")
            .replace('.', '_')
            .toUpperCase(Locale.ROOT);
        return "did you mean " + property + " (" + variable + ")?";
    }
}
