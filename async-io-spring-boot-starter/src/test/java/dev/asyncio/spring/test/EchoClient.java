package dev.asyncio.spring.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/** A blocking loopback client with bounded waits (every read times out after ten seconds). */
public final class EchoClient implements AutoCloseable {

    private final Socket socket;

    private final InputStream in;

    private final OutputStream out;

    private EchoClient(Socket socket) throws IOException {
        this.socket = socket;
        this.in = socket.getInputStream();
        this.out = socket.getOutputStream();
    }

    /**
     * @param port a loopback port
     * @return a connected client
     */
    public static EchoClient connect(int port) {
        return connect(port, 0);
    }

    /**
     * @param port a loopback port
     * @param receiveBuffer SO_RCVBUF to ask for before connecting, 0 for the default
     * @return a connected client
     */
    public static EchoClient connect(int port, int receiveBuffer) {
        try {
            Socket socket = new Socket();
            if (receiveBuffer > 0) {
                socket.setReceiveBufferSize(receiveBuffer);
            }
            socket.setSoTimeout(10_000);
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return new EchoClient(socket);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * @param port a loopback port
     * @return whether a TCP connection to it is refused
     */
    public static boolean isRefused(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
            return false;
        }
        catch (ConnectException ex) {
            return true;
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /**
     * Sends a line and reads the same number of bytes back.
     * @param text what to send
     * @return what came back
     */
    public String echo(String text) {
        try {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            this.out.write(bytes);
            this.out.flush();
            return new String(this.in.readNBytes(bytes.length), StandardCharsets.UTF_8);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    /** @return the client's local port */
    public int localPort() {
        return this.socket.getLocalPort();
    }

    /** @return the input stream */
    public InputStream input() {
        return this.in;
    }

    @Override
    public void close() {
        try {
            this.socket.close();
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }
}
