package dev.asyncio.core.internal.net;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * Turns a LispWorks "service" (a port number, a numeric string or a service name such as {@code "http"}) into a
 * port. Java has no {@code getservbyname}, so names come from {@code /etc/services} when it exists and from a small
 * built-in table otherwise.
 */
public final class ServiceNames {

    private static final Map<String, Integer> BUILT_IN = Map.ofEntries(
            Map.entry("echo", 7), Map.entry("discard", 9), Map.entry("daytime", 13), Map.entry("ftp", 21),
            Map.entry("ssh", 22), Map.entry("telnet", 23), Map.entry("smtp", 25), Map.entry("domain", 53),
            Map.entry("http", 80), Map.entry("pop3", 110), Map.entry("imap", 143), Map.entry("https", 443),
            Map.entry("submission", 587), Map.entry("imaps", 993), Map.entry("pop3s", 995),
            Map.entry("redis", 6379), Map.entry("http-alt", 8080));

    private static volatile Map<String, Integer> fromFile;

    private ServiceNames() {
    }

    public static int checkPort(String what, int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException(what + " must be a port from 0 to 65535, got " + port);
        }
        return port;
    }

    /**
     * @param service a port number, a numeric string, a service name, or {@code null} / empty (0, ephemeral)
     * @param protocol {@code "tcp"} or {@code "udp"}
     * @return the port
     * @throws IllegalArgumentException for an unknown name or a number out of range
     */
    public static int resolve(String service, String protocol) {
        if (service == null || service.isBlank()) {
            return 0;
        }
        String s = service.trim();
        if (s.chars().allMatch(Character::isDigit)) {
            try {
                return checkPort("service", Integer.parseInt(s));
            } catch (NumberFormatException tooBig) {
                throw new IllegalArgumentException("service must be a port from 0 to 65535, got " + s);
            }
        }
        String key = s.toLowerCase(Locale.ROOT);
        Integer port = table().get(key + "/" + protocol);
        if (port == null) {
            port = BUILT_IN.get(key);
        }
        if (port == null) {
            throw new IllegalArgumentException("unknown " + protocol + " service name '" + s
                    + "': give a port number or a name from /etc/services");
        }
        return port;
    }

    private static Map<String, Integer> table() {
        Map<String, Integer> t = fromFile;
        if (t == null) {
            t = read(Path.of("/etc/services"));
            fromFile = t;
        }
        return t;
    }

    public static Map<String, Integer> read(Path file) {
        Map<String, Integer> t = new HashMap<>();
        try {
            for (String line : Files.readAllLines(file)) {
                int hash = line.indexOf('#');
                String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
                if (f.length < 2) {
                    continue;
                }
                int slash = f[1].indexOf('/');
                if (slash <= 0) {
                    continue;
                }
                int port;
                try {
                    port = Integer.parseInt(f[1].substring(0, slash));
                } catch (NumberFormatException e) {
                    continue;
                }
                String proto = f[1].substring(slash + 1).toLowerCase(Locale.ROOT);
                for (int i = 0; i < f.length; i++) {
                    if (i != 1) {
                        t.putIfAbsent(f[i].toLowerCase(Locale.ROOT) + "/" + proto, port);
                    }
                }
            }
        } catch (IOException | RuntimeException absent) {
            // No readable /etc/services (containers, Windows): the built-in table still answers.
        }
        return Map.copyOf(t);
    }
}
