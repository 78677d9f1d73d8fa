package dev.asyncio.bench.memory;

import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MemoryBudget;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.TlsOptions;
import dev.asyncio.core.WaitStateCollection;

import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * Compares what the memory budget charges with what the heap really holds: a server collection echoes to N clients
 * (in a child JVM, so their objects stay out of this heap) that send and never read, plain or over TLS, and the
 * probe prints the heap growth per connection after a full GC next to the budget's charge per connection.
 *
 * <pre>java -cp async-io-benchmarks.jar dev.asyncio.bench.memory.AccountingProbe idle|echo|tls N [keystore.p12]</pre>
 */
public final class AccountingProbe {

    private AccountingProbe() {
    }

    /**
     * @param args mode (idle, echo, tls), connection count, and for tls a PKCS12 key store (password changeit)
     * @throws Exception if the probe fails
     */
    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--clients")) {
            clients(args);
            return;
        }
        String mode = args[0];
        int n = Integer.parseInt(args[1]);
        SSLContext tls = mode.equals("tls") ? serverContext(Path.of(args[2])) : null;
        MemoryBudget budget = MemoryBudget.ofBytes("probe", 1L << 40);
        WaitStateCollection loop = WaitStateCollection.builder("probe").memoryBudget(budget).daemon(true)
                .createAndRun();
        AcceptOptions.Builder options = AcceptOptions.builder().address("127.0.0.1").queueOutput(true);
        if (tls != null) {
            options.tls(TlsOptions.builder().context(tls).build());
        }
        AcceptingHandle handle = loop.acceptTcpConnections(0, (h, s) -> {
            if (!mode.equals("idle")) {
                echo(s);
            }
        }, options.build());
        long before = usedAfterGc();
        long budgetBefore = budget.used();
        Process clients = new ProcessBuilder(ProcessHandle.current().info().command().orElse("java"), "-Xmx256m",
                "-cp", System.getProperty("java.class.path"), AccountingProbe.class.getName(), "--clients",
                String.valueOf(handle.localPort()), String.valueOf(n), mode).inheritIO()
                .redirectInput(ProcessBuilder.Redirect.PIPE).start();
        long deadline = System.nanoTime() + 120_000_000_000L;
        while (handle.connectionCount() < n && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        // Let the queues fill until the echo pauses (its peers never read): wait until usage stops growing.
        long last = -1;
        for (int i = 0; i < 100 && budget.used() != last; i++) {
            last = budget.used();
            Thread.sleep(500);
        }
        long heap = usedAfterGc() - before;
        long charged = budget.used() - budgetBefore;
        System.out.printf("mode=%s connections=%d heap/conn=%d charged/conn=%d charged/heap=%.2f%n", mode,
                handle.connectionCount(), heap / n, charged / n, (double) charged / heap);
        clients.getOutputStream().close();
        clients.waitFor();
        loop.close();
    }

    /** Echoes like the sample's echo handle: copies each arrival, queues it, pauses at the high water mark. */
    private static void echo(AsyncIoState state) {
        state.setWritabilityCallback(s -> {
            if (s.isWritable() && !s.isReading() && s.isOpen()) {
                echo(s);
            }
        });
        state.readWithChecking((s, buffer, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.close();
                return;
            }
            byte[] copy = Arrays.copyOf(buffer, end);
            s.discard(end);
            s.writeBuffer(copy, null);
            if (!s.isWritable()) {
                s.finish();
            }
        });
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 4; i++) {
            System.gc();
            Thread.sleep(200);
        }
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /** The child: N connections that send 64 KiB each (more for echo) and never read, until stdin closes. */
    private static void clients(String[] args) throws Exception {
        int port = Integer.parseInt(args[1]);
        int n = Integer.parseInt(args[2]);
        String mode = args[3];
        SSLContext trustAll = SSLContext.getInstance("TLS");
        trustAll.init(null, new TrustManager[] {new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] c, String a) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        List<Socket> sockets = new ArrayList<>();
        byte[] chunk = new byte[64 * 1024];
        for (int i = 0; i < n; i++) {
            Socket s = mode.equals("tls")
                    ? trustAll.getSocketFactory().createSocket(InetAddress.getLoopbackAddress(), port)
                    : new Socket(InetAddress.getLoopbackAddress(), port);
            s.setReceiveBufferSize(4096);
            if (s instanceof SSLSocket ssl) {
                ssl.startHandshake();
            }
            sockets.add(s);
        }
        if (!mode.equals("idle")) {
            // Send until the server stops reading (its echo pauses because we never read): a write that would
            // block ends this connection's sending, on a thread of its own.
            for (Socket s : sockets) {
                Thread t = new Thread(() -> {
                    try {
                        OutputStream out = s.getOutputStream();
                        for (int k = 0; k < 64; k++) {
                            out.write(chunk);
                        }
                    } catch (Exception ignored) {
                        // The server closed it.
                    }
                });
                t.setDaemon(true);
                t.start();
            }
        }
        InputStream in = System.in;
        while (in.read() >= 0) {
            // Wait until the probe closes our stdin.
        }
        for (Socket s : sockets) {
            s.close();
        }
    }

    private static SSLContext serverContext(Path keyStore) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = java.nio.file.Files.newInputStream(keyStore)) {
            ks.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(ks, "changeit".toCharArray());
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(kmf.getKeyManagers(), null, null);
        return ctx;
    }
}
