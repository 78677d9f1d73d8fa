package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateCallback;

import java.net.InetSocketAddress;

/**
 * The datagram operations of a state whose kind sends and receives whole datagrams (LispWorks
 * {@code async-io-state-send-message}, {@code -send-message-to-address}, {@code -receive-message}). Callers reach it
 * through {@link ChannelKind#datagrams}, never by asking which kind a state has.
 */
public interface Datagrams {
    /**
     * Sends on a connected socket; checks and claims on the caller's thread.
     *
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    void send(byte[] buffer, int start, int end, StateCallback callback, OperationOptions options);

    /**
     * Sends to {@code host:port}, resolving the name off the loop.
     *
     * @param host the target's host name or address
     * @param port the target's port
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    void sendTo(String host, int port, byte[] buffer, int start, int end, StateCallback callback,
                OperationOptions options);

    /**
     * Sends to a resolved address.
     *
     * @param target where to
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    void sendTo(InetSocketAddress target, byte[] buffer, int start, int end, StateCallback callback,
                OperationOptions options);

    /**
     * @param buffer the caller's buffer
     * @param from first index
     * @param to index after the last
     * @param cb {@code (state, buffer, count)}, or {@code null} when {@code messageCb} is given
     * @param messageCb {@code (state, buffer, count, sender)}, or {@code null}
     * @param errorCb told on an error instead, or {@code null}
     * @return the receive operation, set and ready to start; loop thread
     */
    ReadOperation receive(byte[] buffer, int from, int to, BufferCallback cb, MessageCallback messageCb,
                          BufferCallback errorCb);
}
