package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.IpFamily;
import dev.asyncio.core.MessageCallback;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateCallback;
import dev.asyncio.core.internal.transport.Transport;
import dev.asyncio.core.internal.write.OutboundQueue;
import dev.asyncio.core.internal.write.WriteOp;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;

/**
 * A UDP state's socket: datagrams are received by a {@link DatagramReceiveOp} and sent whole, one per queued write.
 * Loop thread, except the checks.
 */
public final class DatagramKind implements ChannelKind, Datagrams {

    /** Largest UDP payload over IPv4 (65,535 - 8 - 20). */
    public static final int MAX_DATAGRAM = 65_507;

    private final DatagramChannel channel;
    /** The family the state was made for: host names resolve in it, and IPV6 ignores IPv4 senders. */
    private final IpFamily family;
    private StateEngine state;
    private DatagramReceiveOp receive;
    private DatagramSends sends;

    /**
     * @param channel the socket
     * @param family the family asked for
     */
    public DatagramKind(DatagramChannel channel, IpFamily family) {
        this.channel = channel;
        this.family = family;
    }

    @Override
    public void bind(StateEngine engine) {
        this.state = engine;
    }

    @Override
    public SelectableChannel channel() {
        return channel;
    }

    /** @return the socket */
    public DatagramChannel socket() {
        return channel;
    }

    /** @return the family asked for */
    public IpFamily family() {
        return family;
    }

    /** @return this state's receive operation, to be set and started */
    public DatagramReceiveOp receiveOp() {
        if (receive == null) {
            receive = new DatagramReceiveOp(state, this);
        }
        return receive;
    }

    /** @return this state's sends */
    public DatagramSends sends() {
        if (sends == null) {
            sends = new DatagramSends(state, this);
        }
        return sends;
    }

    @Override
    public Transport transport(String what, String instead) {
        throw notAStream(what, instead);
    }

    @Override
    public TlsControl tls(String what, String instead) {
        throw notAStream(what, instead);
    }

    private IllegalStateException notAStream(String what, String instead) {
        return new IllegalStateException(state.owner() + ": " + what + " is for TCP states; use " + instead
                + " on a UDP state");
    }

    @Override
    public Datagrams datagrams(String what, String instead) {
        return this;
    }

    @Override
    public void send(byte[] buffer, int start, int end, StateCallback callback, OperationOptions options) {
        sends().send(buffer, start, end, callback, options);
    }

    @Override
    public void sendTo(String host, int port, byte[] buffer, int start, int end, StateCallback callback,
                       OperationOptions options) {
        sends().sendTo(host, port, buffer, start, end, callback, options);
    }

    @Override
    public void sendTo(InetSocketAddress target, byte[] buffer, int start, int end, StateCallback callback,
                       OperationOptions options) {
        sends().sendTo(target, buffer, start, end, callback, options);
    }

    @Override
    public ReadOperation receive(byte[] buffer, int from, int to, BufferCallback cb, MessageCallback messageCb,
                                 BufferCallback errorCb) {
        return receiveOp().set(buffer, from, to, cb, messageCb, errorCb);
    }

    @Override
    public InetSocketAddress peerAddress() throws IOException {
        return (InetSocketAddress) channel.getRemoteAddress();
    }

    /** Sends queued datagrams, each whole, until the socket buffer is full. */
    @Override
    public void flush() {
        OutboundQueue out = state.outbound();
        ByteBuffer d = state.loop().buffers().writeDirect();
        while (!out.isEmpty()) {
            WriteOp w = out.head();
            d.clear();
            d.put(w.buf, w.pos, w.end - w.pos);
            d.flip();
            int n;
            try {
                n = w.target != null ? channel.send(d, w.target) : channel.write(d);
            } catch (IOException | RuntimeException e) {
                // RuntimeException too: an address of the other family (UnsupportedAddressTypeException) or one
                // that is unresolved must fail this datagram, not the state. One bad datagram (an ICMP error, an
                // unreachable target) fails that send only.
                out.removeHead();
                state.status().writeFailed(IoStatus.ERROR, e);
                out.complete(w, IoStatus.ERROR, e);
                if (!state.isOpen()) {
                    return;
                }
                continue;
            }
            if (n == 0 && d.hasRemaining()) {
                state.setInterest(SelectionKey.OP_WRITE, true);
                return;
            }
            state.output().written(n);
            out.removeHead();
            w.pos = w.end;
            out.complete(w, IoStatus.OK, null);
            if (!state.isOpen()) {
                return;
            }
        }
        state.output().idle();
        state.outputDrained();
    }

    /** @return whether a datagram from {@code sender} is dropped: an IPv4 peer on an IPv6-only state */
    boolean ignores(InetSocketAddress sender) {
        // Java cannot set IPV6_V6ONLY: an IPv6-only state drops what IPv4 peers send and keeps waiting.
        return family == IpFamily.IPV6 && sender.getAddress() instanceof Inet4Address;
    }

    /** @return whether the socket is connected to one peer: an unconnected one serves all, and is never shed */
    @Override
    public boolean sheddable() {
        return channel.isConnected();
    }

    @Override
    public boolean hasBufferedInput() {
        return false;
    }

    @Override
    public boolean hasDecrypted() {
        return false;
    }

    @Override
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public boolean isBusy() {
        return false;
    }

    @Override
    public void step() {
    }

    @Override
    public boolean isPaused() {
        return false;
    }

    @Override
    public boolean shutdownOutputForClose() {
        return false;
    }

    @Override
    public boolean drain() {
        return true;
    }

    @Override
    public void close() {
    }
}
