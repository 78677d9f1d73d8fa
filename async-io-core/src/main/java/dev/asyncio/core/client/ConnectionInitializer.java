package dev.asyncio.core.client;

import org.jspecify.annotations.Nullable;

import java.util.function.Consumer;

/**
 * Prepares each new connection of a client before anyone uses it: sends {@code AUTH}, {@code SELECT},
 * {@code HELLO}, a login frame, and waits for the answers ({@link ClientOptions.Builder#connectionInitializer}). The
 * connection counts as connected (listeners' {@link ClientListener#connected}, state
 * {@link ClientState#CONNECTED}, handed out) only once {@code done} is called with {@code null}; a failure, or
 * {@link ClientOptions#connectTimeout()} passing first, makes it a failed connect attempt: the connection is closed
 * and the reconnect policy applies, as for a refused connect.
 *
 * <p>Runs on the client's loop thread; never block in it. With {@link ClientOptions#framing()} the connection's
 * {@link ClientConnection#request request} works already (its replies are matched as usual); without, read and write
 * {@link ClientConnection#state()} yourself. {@link ClientConnection#release()} on it does nothing. An exception it
 * throws fails the attempt like {@code done.accept(exception)}. Spring Integration's
 * {@code TcpConnectionInterceptor} and Lettuce's connection handshake do the same job.
 */
@FunctionalInterface
public interface ConnectionInitializer {
    /**
     * Called once per new connection, on the loop thread.
     *
     * @param connection the new connection, not yet in use
     * @param done call it once, from any thread: with {@code null} when the connection is ready, with the cause
     *             when it is not
     */
    void initialize(ClientConnection connection, Consumer<@Nullable Throwable> done);
}
