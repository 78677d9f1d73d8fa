package dev.asyncio.bench.load;

import dev.asyncio.bench.server.BenchTls;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * The sendFile benchmark's client ({@code download} mode): connects to a file server, reads to EOF into one reused
 * direct buffer, discards the bytes and checks that exactly {@code --bytes} arrived with the {@link BenchFile}
 * content ({@code --verify sampled}: one byte in every {@value #STRIDE}, so a lost, repeated or corrupted stretch of
 * the stream shows while the check costs next to nothing; {@code --verify full}: every byte). One connection at a
 * time: first untimed transfers for {@code --warmup} seconds (at least one unless it is 0: page cache and both JITs
 * warm), then timed ones for {@code --seconds}, and at least {@code --transfers} of them. Timing by seconds rather
 * than by count keeps the CPU figures exact to about 1 % whatever the server's speed: {@code /proc} counts CPU in
 * 10 ms ticks, and a 1 GiB transfer on loopback can take only 0.1 s.
 *
 * <p>Reports {@code MB/s} (10^6 bytes over the wall time of the timed transfers, connect to EOF), {@code wall_ms}
 * per transfer, and the CPU the server ({@code --server-pid}) and this process spent meanwhile, per transfer
 * ({@code server_cpu_ms}, {@code client_cpu_ms}) and as a share of one CPU ({@code server_cpu_pct},
 * {@code client_cpu_pct}). A wrong count, a wrong byte, a failed connection or a transfer that outlives
 * {@code --timeout} seconds is an error. Blocking reads: the cheapest way to read one stream, so the client spends
 * as little CPU as it can and the server sets the pace wherever it can. With {@code --keystore PATH} the client
 * speaks TLS ({@code SSLSocket}, trusting only the certificate in that {@link BenchTls} store) into a heap buffer.
 */
final class FileDownload {

    /** The sampling distance of {@code --verify sampled}: prime, so the samples walk over every block offset. */
    static final int STRIDE = 4093;

    private static final int READ_BUFFER = 1 << 20;

    private final LoadOptions o;
    private final boolean full;
    private final ByteBuffer buffer;
    private final ByteBuffer block = ByteBuffer.wrap(BenchFile.content());
    private final SSLSocketFactory tls;
    private long errors;
    private String firstError;

    FileDownload(LoadOptions options) throws IOException {
        this.o = options;
        this.full = "full".equals(options.verify());
        try {
            this.tls = options.keystore() == null ? null
                    : BenchTls.client(Path.of(options.keystore())).getSocketFactory();
        } catch (GeneralSecurityException e) {
            throw new IOException("cannot use the key store " + options.keystore(), e);
        }
        // An SSLSocket reads into arrays; a SocketChannel is cheapest into a direct buffer.
        this.buffer = tls != null ? ByteBuffer.allocate(READ_BUFFER) : ByteBuffer.allocateDirect(READ_BUFFER);
    }

    Result run() throws IOException {
        ScheduledExecutorService watchdog = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "download-watchdog");
            t.setDaemon(true);
            return t;
        });
        try {
            long warmupEnd = System.nanoTime() + (long) (o.warmupSeconds() * 1e9);
            if (o.warmupSeconds() > 0) {
                do {
                    transfer(watchdog);
                } while (System.nanoTime() < warmupEnd);
            }
            CpuMeter cpu = CpuMeter.start(o.serverPid());
            long start = System.nanoTime();
            long end = start + (long) (o.seconds() * 1e9);
            long bytes = 0;
            int transfers = 0;
            while (transfers < o.transfers() || System.nanoTime() < end) {
                bytes += transfer(watchdog);
                transfers++;
            }
            double elapsed = (System.nanoTime() - start) / 1e9;
            cpu.stop();
            Result r = new Result()
                    .put("MB/s", Math.round(bytes / elapsed / 1e6))
                    .put("wall_ms", Math.round(elapsed * 10_000 / transfers) / 10.0)
                    .put("bytes", o.bytes())
                    .put("transfers", transfers);
            perTransfer(r, "server_cpu_ms", cpu.serverSeconds(), transfers);
            perTransfer(r, "client_cpu_ms", cpu.selfSeconds(), transfers);
            CpuMeter.addTo(cpu, r, elapsed);
            if (firstError != null) {
                System.err.println("download: " + errors + " error(s); first: " + firstError);
            }
            return r.errors(errors);
        } finally {
            watchdog.shutdownNow();
        }
    }

    private static void perTransfer(Result r, String key, double cpuSeconds, int transfers) {
        if (cpuSeconds >= 0) {
            r.put(key, Math.round(cpuSeconds * 10_000 / transfers) / 10.0);
        }
    }

    /** One connection read to EOF; @return the bytes received (counted even when they were wrong) */
    private long transfer(ScheduledExecutorService watchdog) {
        long received = 0;
        boolean wrong = false;
        try (Source ch = connect()) {
            // Closing the socket from the watchdog ends a blocking read that would otherwise wait forever.
            ScheduledFuture<?> deadline = watchdog.schedule(() -> closeQuietly(ch), (long) (o.timeoutSeconds() * 1000),
                    TimeUnit.MILLISECONDS);
            try {
                int n;
                while ((n = ch.read(buffer.clear())) >= 0) {
                    if (!wrong && received + n <= o.bytes() && !matches(buffer.flip(), received)) {
                        wrong = true;
                        fail("wrong content in bytes " + received + ".." + (received + n));
                    }
                    received += n;
                }
            } finally {
                deadline.cancel(false);
            }
        } catch (java.nio.channels.AsynchronousCloseException | java.net.SocketException e) {
            // What a read says when the watchdog closed its socket (or the server reset the connection).
            fail("no EOF (" + e + ") within --timeout " + o.timeoutSeconds() + " s, after " + received + " bytes");
            return received;
        } catch (IOException e) {
            fail("after " + received + " bytes: " + e);
            return received;
        }
        if (received != o.bytes()) {
            fail("received " + received + " bytes, expected " + o.bytes());
        }
        return received;
    }

    /** @return whether {@code data} (its position to its limit) is what the file holds from {@code at} on */
    private boolean matches(ByteBuffer data, long at) {
        if (!full) {
            long first = (at + STRIDE - 1) / STRIDE * STRIDE;
            for (long p = first; p < at + data.limit(); p += STRIDE) {
                if (data.get((int) (p - at)) != BenchFile.expected(p)) {
                    return false;
                }
            }
            return true;
        }
        int done = 0;
        while (done < data.limit()) {
            int offset = (int) ((at + done) & (BenchFile.BLOCK - 1));
            int len = Math.min(data.limit() - done, BenchFile.BLOCK - offset);
            if (data.slice(done, len).mismatch(block.slice(offset, len)) >= 0) {
                return false;
            }
            done += len;
        }
        return true;
    }

    private void fail(String what) {
        errors++;
        if (firstError == null) {
            firstError = what;
        }
    }

    private static void closeQuietly(Closeable ch) {
        try {
            ch.close();
        } catch (IOException e) {
            // already closed: the transfer ended meanwhile
        }
    }

    /** One connection's byte stream, plain or TLS. */
    private interface Source extends Closeable {
        /** @return bytes read into {@code into} (its position advanced), -1 at EOF; blocks until one arrives */
        int read(ByteBuffer into) throws IOException;
    }

    private Source connect() throws IOException {
        if (tls == null) {
            SocketChannel ch = SocketChannel.open();
            try {
                ch.setOption(java.net.StandardSocketOptions.TCP_NODELAY, true);
                ch.connect(new InetSocketAddress(o.host(), o.port()));
            } catch (IOException e) {
                ch.close();
                throw e;
            }
            return new Source() {
                @Override
                public int read(ByteBuffer into) throws IOException {
                    return ch.read(into);
                }

                @Override
                public void close() throws IOException {
                    ch.close();
                }
            };
        }
        SSLSocket socket = (SSLSocket) tls.createSocket(o.host(), o.port());
        // Without it the client's last handshake flight waits for the server's delayed ACK: ~40 ms per connection.
        socket.setTcpNoDelay(true);
        InputStream in = socket.getInputStream();
        return new Source() {
            @Override
            public int read(ByteBuffer into) throws IOException {
                int n = in.read(into.array(), into.arrayOffset() + into.position(), into.remaining());
                if (n > 0) {
                    into.position(into.position() + n);
                }
                return n;
            }

            @Override
            public void close() throws IOException {
                socket.close();
            }
        };
    }
}
