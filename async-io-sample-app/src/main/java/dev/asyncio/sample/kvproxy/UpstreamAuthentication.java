package dev.asyncio.sample.kvproxy;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Consumer;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.client.ClientConnection;
import dev.asyncio.core.client.ConnectionInitializer;
import dev.asyncio.sample.kv.resp.RespProtocolException;

/**
 * Authenticates each new connection of the {@code kv-upstream} client with {@code AUTH password} before the proxy
 * uses it, so that {@code kv-proxy} can front a Redis with {@code requirepass} (or the sample's kv with
 * {@code sample.kv.password}). A {@code -WRONGPASS}/{@code -ERR} answer fails the connect attempt (the client backs
 * off and retries; commands meanwhile get {@code ERR upstream unavailable: … AUTH refused …}). The password never
 * appears in errors or logs.
 *
 * <p>Runs on the client's loop thread, once per connection, before the connection is handed out.
 */
public final class UpstreamAuthentication implements ConnectionInitializer {

    private final byte[] command;

    /** @param password Redis' {@code requirepass}; not empty */
    public UpstreamAuthentication(String password) {
        if (password == null || password.isEmpty()) {
            throw new IllegalArgumentException("password must not be empty");
        }
        this.command = KvProxyConnection.encode(List.of("AUTH".getBytes(StandardCharsets.US_ASCII),
                password.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void initialize(ClientConnection connection, Consumer<Throwable> done) {
        AsyncIoState state = connection.state();
        RespReplyScanner scanner = new RespReplyScanner(64 * 1024);
        state.writeBuffer(command, 0, command.length, null);
        state.readWithChecking((s, buffer, end) -> {
            int replyEnd;
            try {
                replyEnd = scanner.scan(buffer, 0, end);
            } catch (RespProtocolException e) {
                s.finish();
                done.accept(new IOException("AUTH answered with something that is not RESP: " + e.getMessage()));
                return;
            }
            if (replyEnd < 0) {
                if (s.readStatus() != IoStatus.OK) {
                    s.finish();
                    done.accept(new IOException("the server closed the connection during AUTH"));
                }
                return;
            }
            String reply = new String(buffer, 0, replyEnd - 2, StandardCharsets.UTF_8);
            s.finish(replyEnd);
            done.accept(buffer[0] == '+' ? null : new IOException("AUTH refused: " + reply.substring(1)));
        });
    }
}
