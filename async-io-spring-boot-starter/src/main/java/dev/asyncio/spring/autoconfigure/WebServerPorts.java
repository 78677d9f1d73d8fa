package dev.asyncio.spring.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import dev.asyncio.spring.AsyncIoConfigurationException;
import dev.asyncio.spring.HandleDefinition;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * The ports Spring Boot's embedded web server will listen on ({@code server.port}, default 8080, and a separate
 * {@code management.server.port}), so that a handle configured on one of them fails start-up at once with a report
 * naming both properties — instead of whichever binds second failing with a bare "port already in use". Only when
 * the context runs an embedded web server (a {@code WebServerApplicationContext}: not under a mock web environment,
 * not in a non-web application). Used once while the context refreshes.
 */
final class WebServerPorts {

    private static final String WEB_SERVER_CONTEXT = "org.springframework.boot.web.server.context"
            + ".WebServerApplicationContext";

    private static final int DEFAULT_SERVER_PORT = 8080;

    private WebServerPorts() {
    }

    /** One port the web server will listen on, from {@code property}, on {@code address} (null: all interfaces). */
    record Reserved(String property, int port, @Nullable String address) {
    }

    /** @return the ports the context's web server will listen on; none without an embedded web server */
    static List<Reserved> of(@Nullable ApplicationContext context, Environment environment) {
        List<Reserved> ports = new ArrayList<>();
        if (context == null || !runsWebServer(context)) {
            return ports;
        }
        Binder binder = Binder.get(environment);
        int server = binder.bind("server.port", Integer.class).orElse(DEFAULT_SERVER_PORT);
        if (server > 0) {
            ports.add(new Reserved("server.port", server, address(binder, "server.address")));
        }
        int management = binder.bind("management.server.port", Integer.class).orElse(-1);
        if (management > 0 && management != server) {
            ports.add(new Reserved("management.server.port", management,
                    address(binder, "management.server.address")));
        }
        return ports;
    }

    private static boolean runsWebServer(ApplicationContext context) {
        ClassLoader loader = context.getClassLoader();
        if (!ClassUtils.isPresent(WEB_SERVER_CONTEXT, loader)) {
            return false;
        }
        return ClassUtils.resolveClassName(WEB_SERVER_CONTEXT, loader).isInstance(context);
    }

    private static @Nullable String address(Binder binder, String property) {
        return binder.bind(property, String.class).orElse(null);
    }

    /**
     * @throws AsyncIoConfigurationException for the first handle on a port of the web server with an overlapping
     * address
     */
    static void check(List<HandleDefinition> definitions, List<Reserved> reserved) {
        for (HandleDefinition definition : definitions) {
            String service = definition.service();
            if (service == null || service.isEmpty() || !service.chars().allMatch(Character::isDigit)) {
                continue;
            }
            int port = Integer.parseInt(service);
            for (Reserved web : reserved) {
                String address = definition.options().address();
                boolean overlaps = address == null || web.address() == null || Objects.equals(address, web.address());
                if (port == web.port() && overlaps) {
                    throw new AsyncIoConfigurationException(definition.propertyPrefix() + ".port", service,
                            "is also " + web.property() + ": the application's embedded web server listens on port "
                                    + port + ", so the two cannot both bind it",
                            "Give " + definition.propertyPrefix() + ".port another port than " + web.property()
                                    + " (0 for an ephemeral one), or move the web server with " + web.property()
                                    + ((web.property().equals("server.port") ? " (8080 when not set)" : "")) + ".");
                }
            }
        }
    }
}
