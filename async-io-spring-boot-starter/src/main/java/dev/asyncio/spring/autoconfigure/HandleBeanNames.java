package dev.asyncio.spring.autoconfigure;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * The names of the configured handles that got a bean when the bean definitions were made: at start-up normally,
 * at build time in an ahead-of-time (AOT) build, where the generated code keeps the comma-separated list given here.
 * Immutable; any thread.
 */
public final class HandleBeanNames {

    private final Set<String> names;

    /** @param names the handle names, comma-separated (a String keeps the AOT-generated code trivial) */
    public HandleBeanNames(String names) {
        this.names = new LinkedHashSet<>();
        Arrays.stream(names.split(",")).map(String::trim).filter((n) -> !n.isEmpty()).forEach(this.names::add);
    }

    /** @return the handle names, in registration order */
    public Set<String> names() {
        return Set.copyOf(this.names);
    }
}
