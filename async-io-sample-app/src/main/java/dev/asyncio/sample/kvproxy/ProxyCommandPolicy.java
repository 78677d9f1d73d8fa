package dev.asyncio.sample.kvproxy;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Which commands {@code kv-proxy} refuses, and why. A proxy that shares pooled upstream connections between clients
 * can only forward commands whose effect ends with their reply; commands that leave state on the connection, or hold
 * it, would leak into other clients' commands or block them. Twemproxy refuses the same families (it closes the
 * connection; this proxy answers an error and keeps it open).
 *
 * <table>
 * <caption>Refused commands</caption>
 * <tr><th>family</th><th>commands</th><th>why</th></tr>
 * <tr><td>pub/sub</td><td>SUBSCRIBE PSUBSCRIBE SSUBSCRIBE UNSUBSCRIBE PUNSUBSCRIBE SUNSUBSCRIBE</td>
 *     <td>turn the connection into a message stream</td></tr>
 * <tr><td>transactions</td><td>MULTI EXEC DISCARD WATCH UNWATCH</td>
 *     <td>need every command of the transaction on one connection, alone</td></tr>
 * <tr><td>blocking</td><td>BLPOP BRPOP BRPOPLPUSH BLMOVE BLMPOP BZPOPMIN BZPOPMAX BZMPOP WAIT WAITAOF, XREAD and
 *     XREADGROUP with BLOCK</td><td>would hold a shared connection and stall every client behind it</td></tr>
 * <tr><td>connection state</td><td>SELECT AUTH HELLO CLIENT RESET READONLY READWRITE ASKING</td>
 *     <td>would change the shared connection for everyone</td></tr>
 * <tr><td>replication and admin</td><td>MONITOR SYNC PSYNC REPLCONF REPLICAOF SLAVEOF SHUTDOWN DEBUG FAILOVER</td>
 *     <td>stream or stop the server, not a request/reply</td></tr>
 * </table>
 *
 * <p>When the proxy has a password ({@code sample.kv-proxy.upstream-password}), {@code AUTH} is answered by the proxy
 * itself (its clients must authenticate before anything is forwarded) instead of being refused.
 *
 * <p>{@code QUIT} is answered by the proxy ({@code +OK}, then the connection closes after the replies before it).
 * Everything else is forwarded, unknown commands included (the server answers those). Stateless and thread-safe.
 */
public final class ProxyCommandPolicy {

    /** What to do with one command. */
    public enum Action {
        /** Send it to the upstream. */
        FORWARD,
        /** Answer {@code +OK} and close the connection after the replies. */
        QUIT,
        /** Answer {@link #refusal} without forwarding. */
        REFUSE,
        /** Look at the arguments: refused only with the {@code BLOCK} option. */
        REFUSE_IF_BLOCK
    }

    private static final Map<String, String> REFUSED = new HashMap<>();

    static {
        refuse("pub/sub turns the connection into a message stream; connect to the server directly",
                "SUBSCRIBE", "PSUBSCRIBE", "SSUBSCRIBE", "UNSUBSCRIBE", "PUNSUBSCRIBE", "SUNSUBSCRIBE");
        refuse("transactions need one upstream connection of their own; connect to the server directly",
                "MULTI", "EXEC", "DISCARD", "WATCH", "UNWATCH");
        refuse("blocking commands would hold a shared upstream connection and stall other clients",
                "BLPOP", "BRPOP", "BRPOPLPUSH", "BLMOVE", "BLMPOP", "BZPOPMIN", "BZPOPMAX", "BZMPOP", "WAIT",
                "WAITAOF", "XREAD", "XREADGROUP");
        refuse("connection state would apply to a shared upstream connection",
                "SELECT", "AUTH", "CLIENT", "RESET", "READONLY", "READWRITE", "ASKING");
        refuse("replication and administration commands are not request/reply",
                "MONITOR", "SYNC", "PSYNC", "REPLCONF", "REPLICAOF", "SLAVEOF", "SHUTDOWN", "DEBUG", "FAILOVER");
    }

    private ProxyCommandPolicy() {
    }

    private static void refuse(String reason, String... names) {
        for (String name : names) {
            REFUSED.put(name, reason);
        }
    }

    /**
     * @param upperName the command's name, upper-cased
     * @return what to do with it
     */
    public static Action action(String upperName) {
        if ("QUIT".equals(upperName)) {
            return Action.QUIT;
        }
        if ("XREAD".equals(upperName) || "XREADGROUP".equals(upperName)) {
            return Action.REFUSE_IF_BLOCK;
        }
        if ("HELLO".equals(upperName) || REFUSED.containsKey(upperName)) {
            return Action.REFUSE;
        }
        return Action.FORWARD;
    }

    /**
     * @param arguments the arguments of an {@link Action#REFUSE_IF_BLOCK} command, its name first
     * @return whether they contain the {@code BLOCK} option
     */
    public static boolean blocks(List<byte[]> arguments) {
        for (int i = 1; i < arguments.size(); i++) {
            if (new String(arguments.get(i), java.nio.charset.StandardCharsets.ISO_8859_1)
                    .equalsIgnoreCase("BLOCK")) {
                return true;
            }
        }
        return false;
    }

    /**
     * @param upperName the name of a refused command
     * @return the error reply's text (no {@code -}, no CRLF). {@code HELLO} gets Redis' {@code NOPROTO}, so that
     *         client libraries that try RESP3 first fall back to RESP2 as they do with an old Redis
     */
    public static String refusal(String upperName) {
        if ("HELLO".equals(upperName)) {
            return "NOPROTO unsupported protocol version: kv-proxy speaks RESP2 and does not proxy HELLO";
        }
        String reason = REFUSED.get(upperName);
        return "ERR '" + upperName.toLowerCase(Locale.ROOT) + "' is not supported by kv-proxy: "
                + (reason == null ? "not proxied" : reason);
    }

    /** @return the names of the refused commands, for documentation and tests */
    public static java.util.Set<String> refusedNames() {
        java.util.Set<String> names = new java.util.TreeSet<>(REFUSED.keySet());
        names.add("HELLO");
        return names;
    }
}
