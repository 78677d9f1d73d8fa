package dev.asyncio.sample.testing;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A minimal blocking Redis client for tests: sends commands as multi-bulk arrays and reads replies as Java values
 * (String for simple strings and bulk strings, {@code Long} for integers, {@link Error} for errors, {@code List} for
 * arrays, {@code null} for nulls). Reads time out after 10 s so a broken server fails the test instead of hanging it.
 */
public final class RespClient implements AutoCloseable {

    /** An error reply. @param message the text after {@code -} */
    public record Error(String message) {
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    /** @param port a loopback port @throws IOException if the connection fails */
    public RespClient(int port) throws IOException {
        this("127.0.0.1", port);
    }

    /** @param host an address literal @param port its port @throws IOException if the connection fails */
    public RespClient(String host, int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress(host, port), 5000);
        socket.setSoTimeout(10_000);
        in = new BufferedInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    /** @return the socket, for half-closing or raw writes */
    public Socket socket() {
        return socket;
    }

    /** @param words the command @return its encoding as a multi-bulk array */
    public static byte[] encode(String... words) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(("*" + words.length + "\r\n").getBytes(StandardCharsets.UTF_8));
        for (String w : words) {
            byte[] bytes = w.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(("$" + bytes.length + "\r\n").getBytes(StandardCharsets.UTF_8));
            b.writeBytes(bytes);
            b.writeBytes("\r\n".getBytes(StandardCharsets.UTF_8));
        }
        return b.toByteArray();
    }

    /** @param words a command @return its reply @throws IOException on I/O failure */
    public Object call(String... words) throws IOException {
        send(encode(words));
        return read();
    }

    /** @param raw bytes to send as they are @throws IOException on I/O failure */
    public void send(byte[] raw) throws IOException {
        out.write(raw);
        out.flush();
    }

    /** @param raw text to send as it is @throws IOException on I/O failure */
    public void send(String raw) throws IOException {
        send(raw.getBytes(StandardCharsets.UTF_8));
    }

    /** @return the next reply @throws IOException on I/O failure or EOF */
    public Object read() throws IOException {
        int type = in.read();
        if (type < 0) {
            throw new EOFException("connection closed by the server");
        }
        String line = line();
        switch (type) {
            case '+':
                return line;
            case '-':
                return new Error(line);
            case ':':
                return Long.parseLong(line);
            case '$': {
                int length = Integer.parseInt(line);
                if (length < 0) {
                    return null;
                }
                byte[] data = in.readNBytes(length + 2);
                return new String(data, 0, length, StandardCharsets.UTF_8);
            }
            case '*': {
                int count = Integer.parseInt(line);
                if (count < 0) {
                    return null;
                }
                List<Object> items = new ArrayList<>();
                for (int i = 0; i < count; i++) {
                    items.add(read());
                }
                return items;
            }
            default:
                throw new IOException("not a RESP reply type: " + (char) type);
        }
    }

    /** @return whether the server closed the connection (reads EOF next) @throws IOException on I/O failure */
    public boolean atEof() throws IOException {
        return in.read() < 0;
    }

    private String line() throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        int c;
        while ((c = in.read()) != '\r') {
            if (c < 0) {
                throw new EOFException("connection closed inside a reply");
            }
            b.write(c);
        }
        in.read();
        return b.toString(StandardCharsets.UTF_8);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
