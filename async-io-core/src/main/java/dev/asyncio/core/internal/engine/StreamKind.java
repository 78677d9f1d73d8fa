package dev.asyncio.core.internal.engine;

import dev.asyncio.core.IoStatus;
import dev.asyncio.core.ProxyInfo;
import dev.asyncio.core.internal.transport.TcpTransport;
import dev.asyncio.core.internal.transport.Transport;
import dev.asyncio.core.internal.write.OutboundQueue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * A TCP state's socket and its current {@link Transport}: the plain one, or TLS over it while attached. Owns the
 * gathering flush of the state's output and the stream half of a graceful close. Loop thread, except the checks.
 */
public final class StreamKind implements ChannelKind {

    private TcpTransport plain;
    private Transport transport;
    private StateEngine state;
    /**
     * Made on first use, by whichever thread asks first: the loop attaching, or any thread asking for the TLS side,
     * context or engine. Volatile and made under a lock so that there is only ever one (a second, made by a query
     * racing the attach, used to replace the loop's: the state then showed no TLS for good).
     */
    private volatile TlsAttachment tls;
    /**
     * The PROXY protocol header this connection started with, or {@code null} (the usual case: one reference, no
     * object, for states of handles that do not read the protocol). Volatile: listings read it from any thread.
     */
    private volatile ProxyInfo proxy;

    /** @param channel the socket */
    public StreamKind(SocketChannel channel) {
        this.plain = new TcpTransport(channel);
        this.transport = plain;
    }

    @Override
    public void bind(StateEngine engine) {
        this.state = engine;
        if (engine.loop().socketIo() != null) {
            // A native transport reads and writes the loop's direct buffers itself (before any TLS wraps it).
            this.plain = TcpTransport.of(plain.channel(), engine.loop().socketIo());
            this.transport = plain;
        }
    }

    @Override
    public SelectableChannel channel() {
        return plain.channel();
    }

    /** @return the socket */
    public SocketChannel socket() {
        return plain.channel();
    }

    /** @return the transport reads and writes go through now */
    public Transport transport() {
        return transport;
    }

    /** @return the plain transport, which TLS decorates */
    public TcpTransport plain() {
        return plain;
    }

    /** @param t the transport from now on (TLS attached or detached) */
    void transport(Transport t) {
        this.transport = t;
    }

    /** @return the TLS operations of this state (attach, handshake, detach) */
    public TlsAttachment tls() {
        TlsAttachment t = tls;
        if (t == null) {
            synchronized (this) {
                t = tls;
                if (t == null) {
                    t = new TlsAttachment(state, this);
                    tls = t;
                }
            }
        }
        return t;
    }

    @Override
    public Transport transport(String what, String instead) {
        return transport;
    }

    @Override
    public TlsControl tls(String what, String instead) {
        return tls();
    }

    @Override
    public TlsControl tlsIfAny() {
        return tls();
    }

    @Override
    public Datagrams datagrams(String what, String instead) {
        throw new IllegalStateException(state.owner() + ": " + what + " is for UDP states; use " + instead
                + " on a TCP state");
    }

    @Override
    public InetSocketAddress peerAddress() throws IOException {
        ProxyInfo p = proxy;
        if (p != null && p.source() != null) {
            return p.source();
        }
        return (InetSocketAddress) plain.channel().getRemoteAddress();
    }

    @Override
    public ProxyInfo proxyInfo() {
        return proxy;
    }

    @Override
    public void proxied(ProxyInfo info) {
        this.proxy = info;
    }

    @Override
    public void flush() {
        OutboundQueue out = state.outbound();
        if (out.isEmpty()) {
            if (!transport.isBusy()) {
                flushPendingOnly();
            }
            return;
        }
        IOException failure = out.flush(transport, state.loop().buffers().writeDirect());
        if (failure != null) {
            state.output().failAll(IoStatus.ERROR, failure);
        } else if (out.isEmpty() && !transport.hasPendingOutput()) {
            state.outputDrained();
        }
    }

    /** Writes ciphertext that TLS still holds after its plaintext was consumed. */
    private void flushPendingOnly() {
        try {
            boolean done = transport.flushPending();
            state.setInterest(SelectionKey.OP_WRITE, !done);
            if (done) {
                state.outputDrained();
            }
        } catch (IOException e) {
            state.setInterest(SelectionKey.OP_WRITE, false);
            state.status().writeFailed(IoStatus.ERROR, e);
            state.outputDrained();
        }
    }

    @Override
    public boolean hasBufferedInput() {
        return transport.hasBufferedInput();
    }

    @Override
    public boolean hasDecrypted() {
        return transport.hasDecrypted();
    }

    @Override
    public boolean hasPendingOutput() {
        return transport.hasPendingOutput();
    }

    @Override
    public boolean isBusy() {
        return transport.isBusy();
    }

    @Override
    public void step() {
        transport.step();
    }

    @Override
    public boolean isPaused() {
        return transport.isPaused();
    }

    @Override
    public boolean shutdownOutputForClose() {
        try {
            transport.shutdownOutput();
            return true;
        } catch (IOException | RuntimeException gone) {
            return false;
        }
    }

    @Override
    public boolean drain() {
        // Raw socket reads: after our FIN the bytes only need to leave the kernel's buffer, not to be decrypted.
        ByteBuffer d = state.loop().buffers().readDirect();
        try {
            for (int i = 0; i < 16; i++) {
                d.clear();
                int n = plain.read(d);
                if (n < 0) {
                    return true;
                }
                if (n == 0) {
                    return false;
                }
            }
            return false;
        } catch (IOException e) {
            return true;
        }
    }

    @Override
    public void close() {
        transport.close();
        transport = plain;
        TlsAttachment t = tls;
        if (t != null) {
            t.closed();
        }
    }
}
