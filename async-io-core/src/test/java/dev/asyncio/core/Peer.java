package dev.asyncio.core;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;

/**
 * The far end of a test connection: a plain blocking {@link Socket}, as an ordinary client or server would use.
 * Every read is bounded by the socket's read timeout, so a test that waits for bytes that never come fails instead
 * of hanging.
 */
final class Peer implements AutoCloseable {
    static final int READ_TIMEOUT_MILLIS = 10_000;

    private final Socket socket;

    Peer(Socket socket) {
        this.socket = socket;
        try {
            socket.setSoTimeout(READ_TIMEOUT_MILLIS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Connects a new peer to a listening address (loopback, in tests). */
    static Peer connect(InetSocketAddress address) throws IOException {
        Socket s = new Socket();
        s.connect(address, READ_TIMEOUT_MILLIS);
        return new Peer(s);
    }

    Socket socket() {
        return socket;
    }

    /** @return this peer's own port: what the state sees as its peer port */
    int localPort() {
        return socket.getLocalPort();
    }

    void send(byte[] bytes) throws IOException {
        socket.getOutputStream().write(bytes);
        socket.getOutputStream().flush();
    }

    void send(String text) throws IOException {
        send(text.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Reads exactly {@code n} bytes or fails (EOF or read timeout). */
    byte[] readExactly(int n) throws IOException {
        byte[] b = new byte[n];
        int off = 0;
        InputStream in = socket.getInputStream();
        while (off < n) {
            int r = in.read(b, off, n - off);
            if (r < 0) {
                throw new EOFException("peer saw EOF after " + off + " of " + n + " bytes");
            }
            off += r;
        }
        return b;
    }

    String readString(int n) throws IOException {
        return new String(readExactly(n), StandardCharsets.ISO_8859_1);
    }

    /** @return true when the next read reports end of stream (the state closed or shut down its output) */
    boolean seesEof() throws IOException {
        try {
            return socket.getInputStream().read() < 0;
        } catch (SocketTimeoutException noEof) {
            return false;
        } catch (IOException reset) {
            // A reset also ends the stream: the state closed its socket with unread input pending.
            return true;
        }
    }

    /** Discards everything the state sends until it closes or shuts down its output; @return the byte count. */
    long drainToEof() throws IOException {
        byte[] b = new byte[64 * 1024];
        long total = 0;
        InputStream in = socket.getInputStream();
        for (int r; (r = in.read(b)) >= 0; ) {
            total += r;
        }
        return total;
    }

    /** Closes with SO_LINGER 0: the state's socket gets a RST, so its next read or write fails with an I/O error. */
    void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
