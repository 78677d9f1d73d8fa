package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.AsyncIoRegistry;
import dev.asyncio.spring.FramedConnectionFunction;
import dev.asyncio.spring.HandleDefinition;
import org.jspecify.annotations.Nullable;
import dev.asyncio.spring.ManagedAcceptingHandle;

/**
 * The handles configured under {@code async-io.handles.*}, registered in the {@link AsyncIoRegistry} so that they bind
 * when the context starts. Each is exposed as a bean by {@link HandleBeanRegistrar}, which calls {@link #handle}.
 *
 * <p>Mapping one handle is {@link HandleOptionsMapper}'s job; this class adds the rules between handles (two handles
 * on one port) and between build and run time (the handle beans fixed by an ahead-of-time build). Every broken rule
 * throws an {@link AsyncIoConfigurationException} naming the property. Made once, while the context refreshes.
 */
public class ConfiguredHandles {

    private final Map<String, ManagedAcceptingHandle> handles = new LinkedHashMap<>();

    /** The framed handles' connection functions, taken before customizers (observation) wrap them. */
    private final Map<String, FramedConnectionFunction> framed = new LinkedHashMap<>();

    /** The idle detection of the handles with {@code idle.*} set. */
    private final Map<String, dev.asyncio.spring.IdlePolicy> idle = new LinkedHashMap<>();

    /**
     * Checks and registers every configured handle.
     *
     * @param registry where the handles go
     * @param properties the bound properties
     * @param mapper maps one handle's properties
     * @param beanNames the handle names that have beans (fixed at build time under AOT)
     * @param webServerPorts the ports the application's embedded web server will listen on
     * @param descriptorLimit the process's file descriptor limit, which the handles' max-connections are checked
     *        against ({@link DescriptorCheck})
     * @throws AsyncIoConfigurationException for the first invalid value
     */
    ConfiguredHandles(AsyncIoRegistry registry, AsyncIoProperties properties, HandleOptionsMapper mapper,
            Set<String> beanNames, List<WebServerPorts.Reserved> webServerPorts, DescriptorLimit descriptorLimit) {
        Set<String> enabled = enabledNames(properties);
        checkSameHandlesAsBeans(enabled, beanNames);
        List<HandleDefinition> definitions = new ArrayList<>();
        for (String name : enabled) {
            definitions.add(mapper.definition(name, properties.getHandles().get(name)));
        }
        checkDistinctPorts(definitions);
        WebServerPorts.check(definitions, webServerPorts);
        checkDistinctCollections(definitions);
        definitions = new DescriptorCheck(properties.getDescriptors(), descriptorLimit).apply(definitions);
        for (HandleDefinition definition : definitions) {
            if (definition.connectionFunction() instanceof FramedConnectionFunction function) {
                this.framed.put(definition.name(), function);
            }
            dev.asyncio.spring.IdlePolicy idle = IdleMapper.policyOf(definition.connectionFunction());
            if (idle != null) {
                this.idle.put(definition.name(), idle);
            }
            this.handles.put(definition.name(), registry.register(definition));
        }
    }

    /** @return the names of the configured handles whose {@code enabled} is not false, in order */
    static Set<String> enabledNames(AsyncIoProperties properties) {
        Set<String> names = new java.util.LinkedHashSet<>();
        properties.getHandles().forEach((name, handle) -> {
            if (handle.isEnabled()) {
                names.add(name);
            }
        });
        return names;
    }

    /**
     * @param name a configured handle name
     * @return its managed handle
     * @throws IllegalArgumentException if no handle of that name is configured
     */
    public ManagedAcceptingHandle handle(String name) {
        ManagedAcceptingHandle handle = this.handles.get(name);
        if (handle == null) {
            throw new IllegalArgumentException("No handle configured under async-io.handles." + name);
        }
        return handle;
    }

    /** @return the connection functions of the handles with {@code framing.type} set, by handle name */
    public Map<String, FramedConnectionFunction> framedHandles() {
        return Map.copyOf(this.framed);
    }

    /**
     * @param name a handle name
     * @return the handle's framing, {@code null} if it has none (or is not configured)
     */
    public dev.asyncio.core.@Nullable Framing framing(String name) {
        FramedConnectionFunction function = this.framed.get(name);
        return (function != null) ? function.framing() : null;
    }

    /** @return the idle detection of the handles with {@code idle.reader}, {@code idle.writer} or {@code idle.all} set, by handle name */
    public Map<String, dev.asyncio.spring.IdlePolicy> idlePolicies() {
        return Map.copyOf(this.idle);
    }

    /** @return the configured handles by name */
    public Map<String, ManagedAcceptingHandle> handles() {
        return Map.copyOf(this.handles);
    }

    /**
     * Under AOT the handle beans were fixed when the application was built; a handle configured only at run time
     * would bind but could not be injected, and a handle gone since would leave a bean without a handle.
     */
    static void checkSameHandlesAsBeans(Set<String> configured, Set<String> beanNames) {
        for (String name : configured) {
            if (!beanNames.contains(name)) {
                String prefix = HandleOptionsMapper.prefix(name);
                throw new AsyncIoConfigurationException(prefix, name,
                        "was not configured when the application was built ahead of time (AOT): its bean does not "
                                + "exist (handles known at build time: " + beanNames + ")",
                        "Configure the same async-io.handles.* names at build time (the AOT processing of the "
                                + "application) as at run time, or rebuild.");
            }
        }
        for (String name : beanNames) {
            if (!configured.contains(name)) {
                String prefix = HandleOptionsMapper.prefix(name);
                throw new AsyncIoConfigurationException(prefix + ".port", null,
                        "is not set, but the handle was configured when the application was built ahead of time (AOT)",
                        "Configure the same async-io.handles.* names at build time as at run time, or rebuild.");
            }
        }
    }

    /**
     * A handle's own collections must not be another handle's ({@code a} with 3 loops has {@code a-2}, which is
     * handle {@code a-2}'s own): say so naming both, before any loop thread starts.
     */
    static void checkDistinctCollections(List<HandleDefinition> definitions) {
        Map<String, HandleDefinition> owners = new LinkedHashMap<>();
        for (HandleDefinition definition : definitions) {
            if (!definition.ownsCollections()) {
                continue;
            }
            for (String collection : HandleDefinition.groupNames(definition.name(), definition.loops())) {
                HandleDefinition other = owners.putIfAbsent(collection, definition);
                if (other != null) {
                    throw new AsyncIoConfigurationException(definition.propertyPrefix() + ".loops",
                            definition.loops(), "gives handles '" + other.name() + "' and '" + definition.name()
                                    + "' the same collection '" + collection + "' of their own",
                            "Rename one of the handles, lower " + other.propertyPrefix() + ".loops, or set "
                                    + definition.propertyPrefix() + ".collection to share a collection.");
                }
            }
        }
    }

    /**
     * Two handles on one fixed port and overlapping addresses cannot both bind; say so naming both, instead of
     * letting the second retry for its init-timeout and blame only itself.
     */
    static void checkDistinctPorts(List<HandleDefinition> definitions) {
        for (int i = 0; i < definitions.size(); i++) {
            HandleDefinition a = definitions.get(i);
            for (int j = 0; j < i; j++) {
                HandleDefinition b = definitions.get(j);
                if (samePort(a, b)) {
                    throw new AsyncIoConfigurationException(a.propertyPrefix() + ".port", a.service(),
                            "is also the port of " + b.propertyPrefix() + ".port: handles '" + b.name() + "' and '"
                                    + a.name() + "' cannot both listen on port " + a.service(),
                            "Give " + b.propertyPrefix() + ".port and " + a.propertyPrefix()
                                    + ".port different ports (0 for an ephemeral one), different addresses, or set "
                                    + "reuse-port on both.");
                }
            }
        }
    }

    private static boolean samePort(HandleDefinition a, HandleDefinition b) {
        String port = a.service();
        if (port == null || !port.chars().allMatch(Character::isDigit) || Integer.parseInt(port) == 0
                || !port.equals(b.service())) {
            return false;
        }
        if (a.options().reusePort() && b.options().reusePort()) {
            return false;
        }
        String addressA = a.options().address();
        String addressB = b.options().address();
        // No address means every interface, which overlaps any address.
        return addressA == null || addressB == null || Objects.equals(addressA, addressB);
    }
}
