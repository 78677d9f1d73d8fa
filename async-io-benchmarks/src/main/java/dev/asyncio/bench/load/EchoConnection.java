package dev.asyncio.bench.load;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;

/**
 * One client connection of the message and stream scenarios: how far it has written, how far the echo has been
 * checked, what it still owes the socket, and the send times of its messages in flight.
 */
final class EchoConnection {

    final SocketChannel channel;
    final SelectionKey key;
    final int shift;
    final LongRing stamps;
    long sent;
    long received;
    long owed;
    boolean dead;

    private EchoConnection(SocketChannel channel, SelectionKey key, int shift, int inFlight) {
        this.channel = channel;
        this.key = key;
        this.shift = shift;
        this.stamps = new LongRing(inFlight);
    }

    /**
     * Reads what arrived into {@code buffer} and checks every byte against the pattern at this connection's
     * position.
     *
     * @return bytes read (maybe 0), or -1 if the server closed the connection or echoed a wrong byte
     */
    int readChecked(ByteBuffer buffer, EchoPattern pattern) throws IOException {
        buffer.clear();
        int n = channel.read(buffer);
        if (n < 0) {
            return -1;
        }
        buffer.flip();
        if (!pattern.matches(buffer, received, shift)) {
            return -1;
        }
        received += n;
        return n;
    }

    /** Connects (blocking, then switches to non-blocking) and registers for reading. */
    static EchoConnection open(Selector selector, InetSocketAddress server, int index, int inFlight)
            throws IOException {
        // -Dbench.unix=PATH: the same scenario over a Unix domain socket (issue 11's Unix vs TCP table).
        String unix = System.getProperty("bench.unix");
        SocketChannel ch;
        if (unix != null) {
            ch = SocketChannel.open(java.net.StandardProtocolFamily.UNIX);
            ch.connect(java.net.UnixDomainSocketAddress.of(unix));
        } else {
            ch = SocketChannel.open();
            ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            ch.connect(server);
        }
        ch.configureBlocking(false);
        SelectionKey key = ch.register(selector, SelectionKey.OP_READ);
        EchoConnection c = new EchoConnection(ch, key, EchoPattern.shift(index), inFlight);
        key.attach(c);
        return c;
    }

    /**
     * Writes what the connection owes the socket, as far as the socket takes it; asks for {@code OP_WRITE} when the
     * socket is full and drops it once everything is out.
     */
    void flush(EchoPattern pattern, int maxChunk) throws IOException {
        while (owed > 0) {
            int w = pattern.write(channel, sent, shift, (int) Math.min(owed, maxChunk));
            if (w == 0) {
                key.interestOps(SelectionKey.OP_READ | SelectionKey.OP_WRITE);
                return;
            }
            sent += w;
            owed -= w;
        }
        if ((key.interestOps() & SelectionKey.OP_WRITE) != 0) {
            key.interestOps(SelectionKey.OP_READ);
        }
    }

    void kill() {
        dead = true;
        key.cancel();
        try {
            channel.close();
        } catch (IOException e) {
            // closing a broken connection: nothing left to report
        }
    }
}
