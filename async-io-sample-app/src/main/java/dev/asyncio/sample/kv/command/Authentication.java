package dev.asyncio.sample.kv.command;

import java.util.List;
import java.util.Set;

/**
 * Redis' {@code requirepass}: with a password set ({@code sample.kv.password}), a client must give it with
 * {@code AUTH [default] password} (or {@code HELLO 2 AUTH default password}) before any command other than those
 * Redis allows unauthenticated. The errors are Redis 7's texts, so clients recognise them.
 */
final class Authentication {

    /** The reply to any command before a successful {@code AUTH}. */
    static final String NOAUTH = "NOAUTH Authentication required.";
    /** The reply to {@code HELLO} without {@code AUTH} before a successful {@code AUTH}. */
    static final String HELLO_NOAUTH = "NOAUTH HELLO must be called with the client already authenticated, "
            + "otherwise the HELLO <proto> AUTH <user> <pass> option can be used to authenticate the client and "
            + "select the RESP protocol version at the same time";
    static final String WRONGPASS = "WRONGPASS invalid username-password pair or user is disabled.";

    /** What an unauthenticated client may run: authenticate, or leave. */
    private static final Set<String> ALLOWED_BEFORE_AUTH = Set.of("auth", "hello", "quit");

    private Authentication() {
    }

    /**
     * @param command a lower-case command name
     * @return whether a client may run it before authenticating
     */
    static boolean allowedBefore(String command) {
        return ALLOWED_BEFORE_AUTH.contains(command);
    }

    /** @return {@code AUTH [username] password} */
    static CommandSpec spec(ServerState server) {
        return new CommandSpec("auth", -2, List.of("noscript", "loading", "stale", "fast", "no-auth"), 0, 0, 0,
                (call, reply) -> {
                    if (call.size() > 3) {
                        throw new CommandException("ERR syntax error");
                    }
                    if (!server.requiresPassword()) {
                        throw new CommandException("ERR AUTH <password> called without any password configured "
                                + "for the default user. Are you sure your configuration is correct?");
                    }
                    authenticate(server, call, call.size() == 3 ? 1 : -1, call.size() - 1);
                    reply.simple("OK");
                });
    }

    /**
     * Authenticates the session of {@code call}, or throws {@code WRONGPASS}. Without a password every attempt
     * succeeds (Redis' default user is {@code nopass}).
     *
     * @param user     index of the user name argument, or -1 when none was given (then it is {@code default})
     * @param password index of the password argument
     */
    static void authenticate(ServerState server, CommandCall call, int user, int password) {
        if (!server.requiresPassword()) {
            return;
        }
        // Only the default user exists; an unknown user fails like a wrong password, so names are not revealed.
        boolean defaultUser = user < 0 || "default".equals(call.text(user));
        if (!server.passwordMatches(call.bytes(password)) || !defaultUser) {
            throw new CommandException(WRONGPASS);
        }
        call.session().authenticate();
    }
}
