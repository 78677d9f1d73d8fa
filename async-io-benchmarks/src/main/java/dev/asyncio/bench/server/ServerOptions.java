package dev.asyncio.bench.server;

import java.util.HashMap;
import java.util.Map;

/**
 * The command line every echo server takes: {@code --port N} (required), {@code --address A} (default 127.0.0.1),
 * {@code --control-port N} (0 = none, see {@link ControlPort}), {@code --loops N} (event loops / collections, default
 * 1), {@code --mode M} (server-specific variant, e.g. {@code nio}/{@code epoll} or {@code platform}/{@code virtual}).
 *
 * <p>An unknown option or a malformed number throws {@link IllegalArgumentException} naming the option.
 */
public record ServerOptions(String address, int port, int controlPort, int loops, String mode) {

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args the command line
     * @param defaultMode the mode when {@code --mode} is absent
     * @return the options
     * @throws IllegalArgumentException on an unknown option, a missing value or a bad number
     */
    public static ServerOptions parse(String[] args, String defaultMode) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + name + "'");
            }
            values.put(name.substring(2), args[i + 1]);
        }
        String address = values.getOrDefault("address", "127.0.0.1");
        int port = number(values, "port", -1);
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port is required (0..65535)");
        }
        int control = number(values, "control-port", 0);
        int loops = number(values, "loops", 1);
        if (loops < 1) {
            throw new IllegalArgumentException("--loops must be at least 1, got " + loops);
        }
        String mode = values.getOrDefault("mode", defaultMode);
        values.keySet().removeAll(java.util.List.of("address", "port", "control-port", "loops", "mode"));
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + values.keySet());
        }
        return new ServerOptions(address, port, control, loops, mode);
    }

    private static int number(Map<String, String> values, String name, int dflt) {
        String v = values.get(name);
        if (v == null) {
            return dflt;
        }
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " must be a number, got '" + v + "'", e);
        }
    }
}
