package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;

/**
 * The legitimate client's view: one request, one answer, each on a FRESH connection unless a socket is passed in,
 * each bounded by a timeout. Every method returns its latency in nanoseconds (time to the answer, connect
 * included), or -1 when there was no right answer in time; none throws for a server that misbehaves.
 */
final class Probes {

    private static final String HOST = "127.0.0.1";

    private Probes() {
    }

    /**
     * @param port    the HTTP port
     * @param timeout bounds connect and read
     * @return the status code of {@code GET /actuator/health} (no credentials) on a new connection, or -1
     */
    static int healthStatus(int port, Duration timeout) {
        String response = http(port, "/actuator/health", null, timeout);
        if (response == null || !response.startsWith("HTTP/1.1 ")) {
            return -1;
        }
        try {
            return Integer.parseInt(response.substring(9, 12));
        } catch (RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param port     the HTTP port
     * @param path     the path
     * @param password the {@code admin} user's password, or null for none
     * @param timeout  bounds connect and read
     * @return the whole response (status line, headers, body), or null when none came in time
     */
    static String http(int port, String path, String password, Duration timeout) {
        try (Socket s = connect(port, timeout)) {
            StringBuilder req = new StringBuilder("GET " + path + " HTTP/1.1\r\nHost: " + HOST + ":" + port
                    + "\r\nConnection: close\r\n");
            if (password != null) {
                req.append("Authorization: Basic ").append(Base64.getEncoder()
                        .encodeToString(("admin:" + password).getBytes(StandardCharsets.UTF_8))).append("\r\n");
            }
            s.getOutputStream().write(req.append("\r\n").toString().getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return null;
        }
    }

    /**
     * Connects, sends one line, reads it back, closes.
     *
     * @param port    the echo port
     * @param timeout bounds connect and read
     * @return the latency, or -1
     */
    static long freshEcho(int port, Duration timeout) {
        long t0 = System.nanoTime();
        try (Socket s = connect(port, timeout)) {
            return echo(s, t0);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends one line on an open echo connection and reads it back.
     *
     * @param s  a connected socket with a read timeout set
     * @param t0 when the probe started ({@link System#nanoTime()})
     * @return the latency, or -1
     */
    static long echo(Socket s, long t0) {
        try {
            byte[] line = ("probe " + t0 + "\n").getBytes(StandardCharsets.US_ASCII);
            s.getOutputStream().write(line);
            byte[] back = s.getInputStream().readNBytes(line.length);
            return Arrays.equals(line, back) ? System.nanoTime() - t0 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends one datagram to the UDP echo and waits for it to come back.
     *
     * @param channel an unconnected datagram channel (blocking mode is left as is)
     * @param port    the UDP echo port
     * @param timeout how long to wait for the echo
     * @return the latency, or -1
     */
    static long udpEcho(DatagramChannel channel, int port, Duration timeout) {
        long t0 = System.nanoTime();
        byte[] payload = ("udp " + t0).getBytes(StandardCharsets.US_ASCII);
        try (Selector selector = Selector.open()) {
            channel.configureBlocking(false);
            channel.send(ByteBuffer.wrap(payload), new InetSocketAddress(HOST, port));
            channel.register(selector, SelectionKey.OP_READ);
            ByteBuffer in = ByteBuffer.allocate(2048);
            long deadline = t0 + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                selector.select(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                selector.selectedKeys().clear();
                in.clear();
                while (channel.receive(in) != null) {
                    in.flip();
                    byte[] got = new byte[in.remaining()];
                    in.get(got);
                    if (Arrays.equals(got, payload)) {
                        return System.nanoTime() - t0;
                    }
                    in.clear(); // a late echo of an earlier probe
                }
            }
            return -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Handshakes with the TLS echo on a new connection and echoes a few bytes.
     *
     * @param port    the TLS echo port
     * @param tls     a client context that trusts the sample's certificate
     * @param timeout bounds connect, handshake and read
     * @return the handshake's latency (connect included), or -1 when the handshake or the echo failed
     */
    static long tlsEcho(int port, SSLContext tls, Duration timeout) {
        long t0 = System.nanoTime();
        try (SSLSocket s = (SSLSocket) tls.getSocketFactory().createSocket()) {
            s.connect(new InetSocketAddress(HOST, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.startHandshake();
            long handshake = System.nanoTime() - t0;
            return echo(s, t0) < 0 ? -1 : handshake;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * Sends a RESP {@code PING} and expects {@code +PONG}.
     *
     * @param s  a socket connected to the kv handle, with a read timeout set
     * @param t0 when the probe started
     * @return the latency, or -1
     */
    static long kvPing(Socket s, long t0) {
        try {
            OutputStream out = s.getOutputStream();
            out.write("*1\r\n$4\r\nPING\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            byte[] reply = in.readNBytes(7);
            return "+PONG\r\n".equals(new String(reply, StandardCharsets.US_ASCII)) ? System.nanoTime() - t0 : -1;
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * @param port    the kv port
     * @param timeout bounds connect and read
     * @return the latency of a PING on a new connection, or -1
     */
    static long freshKvPing(int port, Duration timeout) {
        long t0 = System.nanoTime();
        try (Socket s = connect(port, timeout)) {
            return kvPing(s, t0);
        } catch (IOException e) {
            return -1;
        }
    }

    /**
     * @param port    the port on 127.0.0.1
     * @param timeout connect timeout and read timeout
     * @return a connected socket
     * @throws IOException when it cannot connect
     */
    static Socket connect(int port, Duration timeout) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(new InetSocketAddress(HOST, port), (int) timeout.toMillis());
            s.setSoTimeout((int) timeout.toMillis());
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }
}
