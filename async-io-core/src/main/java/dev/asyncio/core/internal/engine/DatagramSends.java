package dev.asyncio.core.internal.engine;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.IpFamily;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.internal.net.HostNames;
import dev.asyncio.core.internal.write.WriteOp;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Objects;

/**
 * The sending half of a UDP state (LispWorks {@code async-io-state-send-message} and
 * {@code -send-message-to-address}): checks and claims a send on the caller's thread, resolves host names (off the
 * loop when called on it), then queues the datagram. Sends queue like writes and leave whole.
 */
final class DatagramSends {

    private final StateEngine state;
    private final DatagramKind kind;

    DatagramSends(StateEngine state, DatagramKind kind) {
        this.state = state;
        this.kind = kind;
    }

    /**
     * Sends on a connected socket.
     *
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    public void send(byte[] buffer, int start, int end, StateCallback callback, OperationOptions options) {
        if (!kind.socket().isConnected()) {
            throw new IllegalStateException(state.owner() + ": sendMessage needs a connected UDP state (connectUdp); "
                    + "use sendMessageToAddress on an unconnected one");
        }
        queue(null, buffer, start, end, callback, options);
    }

    /**
     * Sends to a host and port from an unconnected socket; a host name resolves in the state's family.
     *
     * @param host a host name or literal; {@code null} = loopback
     * @param port 1 to 65535
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    public void sendTo(String host, int port, byte[] buffer, int start, int end, StateCallback callback,
                       OperationOptions options) {
        if (port <= 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 1 to 65535, got " + port);
        }
        IpFamily family = resolveFamily();
        InetAddress literal = HostNames.literal(host);
        if (literal != null || !state.loop().inLoopThread()) {
            InetAddress address;
            try {
                address = literal != null ? literal : HostNames.resolve(host, family);
            } catch (UnknownHostException e) {
                throw new IllegalArgumentException("host '" + host + "' cannot be resolved: " + e.getMessage(), e);
            }
            sendTo(new InetSocketAddress(address, port), buffer, start, end, callback, options);
            return;
        }
        // On the loop thread the lookup must not block it: check and claim the send now (misuse still throws
        // here), resolve off the loop, then queue the datagram.
        requireUnconnected();
        WriteOp op = prepare(buffer, start, end, callback, options, "sendMessageToAddress");
        HostNames.RESOLVER.execute(() -> {
            InetSocketAddress target;
            try {
                target = new InetSocketAddress(HostNames.resolve(host, family), port);
            } catch (UnknownHostException e) {
                state.loop().submitIfOpen(() -> failUnsent(op, e));
                return;
            }
            op.target = target;
            state.loop().submitIfOpen(() -> state.output().enqueue(op));
        });
    }

    /**
     * Sends to a resolved address from an unconnected socket.
     *
     * @param target where to
     * @param buffer the datagram's bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once sent, or {@code null}
     * @param options sticky options and the error callback
     */
    public void sendTo(InetSocketAddress target, byte[] buffer, int start, int end, StateCallback callback,
                       OperationOptions options) {
        Objects.requireNonNull(target, "target");
        requireUnconnected();
        if (target.isUnresolved()) {
            throw new IllegalArgumentException("target " + target + " is unresolved");
        }
        queue(target, buffer, start, end, callback, options);
    }

    private void requireUnconnected() {
        if (kind.socket().isConnected()) {
            throw new IllegalStateException(state.owner() + ": sendMessageToAddress is for unconnected UDP states; "
                    + "use sendMessage on a connected one");
        }
    }

    private IpFamily resolveFamily() {
        IpFamily family = kind.family();
        if (family != IpFamily.ANY && family != IpFamily.BOTH) {
            return family;
        }
        InetSocketAddress local = state.localAddress();
        if (local != null && local.getAddress() instanceof Inet4Address && !local.getAddress().isAnyLocalAddress()) {
            return IpFamily.IPV4;
        }
        return IpFamily.ANY;
    }

    private void queue(InetSocketAddress target, byte[] buffer, int start, int end, StateCallback callback,
                       OperationOptions options) {
        WriteOp op = prepare(buffer, start, end, callback, options,
                target == null ? "sendMessage" : "sendMessageToAddress");
        op.target = target;
        if (state.loop().inLoopThread()) {
            state.output().enqueue(op);
        } else {
            state.loop().submit(() -> state.output().enqueue(op));
        }
    }

    /** Checks a send and claims its place in the output (misuse throws to the caller); the target comes later. */
    private WriteOp prepare(byte[] buffer, int start, int end, StateCallback callback, OperationOptions options,
                            String what) {
        Arguments.checkRange(buffer, start, end);
        Objects.requireNonNull(options, "options");
        state.requireUsable(what);
        if (end - start > DatagramKind.MAX_DATAGRAM) {
            throw new IllegalArgumentException("a datagram holds at most " + DatagramKind.MAX_DATAGRAM
                    + " bytes, got " + (end - start));
        }
        state.output().claimWrite(what, end - start, options);
        WriteOp op = state.loop().inLoopThread()
                ? state.context().writeOps().take(buffer, start, end, null, options.errorCallback())
                : new WriteOp(buffer, start, end, null, options.errorCallback());
        op.sendCallback = callback;
        return op;
    }

    /** A prepared datagram that will never be sent (its host did not resolve): release it and report the error. */
    private void failUnsent(WriteOp op, Throwable cause) {
        if (!state.isOpen()) {
            return;
        }
        state.status().writeFailed(IoStatus.ERROR, cause);
        state.outbound().failUnqueued(op, cause);
    }
}
