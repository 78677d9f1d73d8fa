package dev.asyncio.bench.chaos;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * An echo connection kept open across probes, the way a long-lived client sees the server. Each probe sends a unique
 * line and reads lines until that one comes back, so a late echo of an earlier, timed-out probe does not fail the
 * next. When the server closes or resets the connection the probe fails, the closure is counted, and the next probe
 * connects again.
 */
final class PersistentEcho implements AutoCloseable {

    private final int port;
    private final Duration timeout;
    private Socket socket;
    private BufferedReader in;
    private int closedByServer;
    private long sequence;

    /**
     * @param port    the echo port
     * @param timeout bounds connect and each probe's wait
     */
    PersistentEcho(int port, Duration timeout) {
        this.port = port;
        this.timeout = timeout;
    }

    /** @return the latency of one line's echo, or -1 (no answer in time, or the server closed the connection) */
    long probe() {
        long t0 = System.nanoTime();
        try {
            if (socket == null) {
                socket = Probes.connect(port, timeout);
                in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII));
            }
            String line = "persistent " + (++sequence);
            socket.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            long deadline = t0 + timeout.toNanos();
            while (System.nanoTime() < deadline) {
                String back = in.readLine();
                if (back == null) {
                    throw new IOException("EOF");
                }
                if (back.equals(line)) {
                    return System.nanoTime() - t0;
                }
            }
            return -1;
        } catch (java.net.SocketTimeoutException e) {
            return -1;
        } catch (IOException e) {
            if (socket != null) {
                closedByServer++;
            }
            close();
            return -1;
        }
    }

    /** @return how often the server closed or reset the connection */
    int closedByServer() {
        return closedByServer;
    }

    @Override
    public void close() {
        if (socket != null) {
            try {
                socket.close();
            } catch (IOException e) {
                // nothing left to do
            }
            socket = null;
        }
    }
}
