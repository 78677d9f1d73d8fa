package dev.asyncio.bench.framed;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The command line of the framed echo servers: {@code --port N} (required; 0 = any free port), {@code --address A}
 * (default 127.0.0.1) and, for Netty, {@code --transport nio|epoll|io_uring} (default nio).
 *
 * @param address where to listen
 * @param port the port, 0 for any
 * @param transport Netty's transport: {@code nio}, {@code epoll} or {@code io_uring}
 */
public record FramedOptions(String address, int port, String transport) {

    /** The transports {@code --transport} accepts. */
    public static final List<String> TRANSPORTS = List.of("nio", "epoll", "io_uring");

    /**
     * Parses {@code --name value} pairs.
     *
     * @param args the command line
     * @param transports whether {@code --transport} is allowed (the Netty server's option)
     * @return the options
     * @throws IllegalArgumentException naming the option on an unknown option, a missing value, a bad number or an
     *     unknown transport
     */
    public static FramedOptions parse(String[] args, boolean transports) {
        Map<String, String> values = new HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            String name = args[i];
            if (!name.startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value pairs, got '" + name + "'");
            }
            values.put(name.substring(2), args[i + 1]);
        }
        String address = values.remove("address");
        String p = values.remove("port");
        String transport = transports ? values.remove("transport") : null;
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown option(s): " + values.keySet().stream().sorted()
                    .map(k -> "--" + k).toList() + (transports ? "" : " (--transport is the Netty server's)"));
        }
        if (p == null) {
            throw new IllegalArgumentException("--port is required (0..65535)");
        }
        int port;
        try {
            port = Integer.parseInt(p);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--port must be a number, got '" + p + "'", e);
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port must be 0..65535, got " + port);
        }
        transport = transport == null ? "nio" : transport;
        if (!TRANSPORTS.contains(transport)) {
            throw new IllegalArgumentException("--transport must be one of " + TRANSPORTS + ", got '" + transport + "'");
        }
        return new FramedOptions(address == null ? "127.0.0.1" : address, port, transport);
    }
}
