package dev.asyncio.bench.server;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import javax.management.JMException;
import javax.management.ObjectName;

/**
 * A tiny blocking side channel through which the load generator asks a server JVM for its heap after GC, so the
 * idle-connection memory figures come from the server itself rather than from an attach tool.
 *
 * <p>Protocol: connect, send {@code heap\n}, read one line {@code heap_used <bytes>}; or send {@code histo\n} and read
 * the top of the class histogram of live objects (the {@code GC.class_histogram} diagnostic command, run in-process)
 * up to a line {@code END}. It runs on one daemon platform
 * thread that sleeps in {@code accept()} while the benchmark runs, so it costs the measured event loop nothing.
 */
public final class ControlPort {

    private ControlPort() {
    }

    /**
     * Starts the control thread when {@code port > 0}.
     *
     * @param port the loopback port to listen on; 0 = do nothing
     * @throws IOException when the port cannot be bound
     */
    public static void startIfRequested(int port) throws IOException {
        if (port <= 0) {
            return;
        }
        ServerSocket server = new ServerSocket();
        server.setReuseAddress(true);
        server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port));
        Thread t = new Thread(() -> serve(server), "bench-control");
        t.setDaemon(true);
        t.start();
    }

    /** @return the heap in use after two full collections, in bytes */
    public static long heapAfterGc() {
        System.gc();
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }

    /**
     * @param lines how many lines of the histogram to keep (header included)
     * @return the first lines of the live-object class histogram, or an error line
     */
    static String classHistogram(int lines) {
        try {
            Object text = ManagementFactory.getPlatformMBeanServer().invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                    new Object[] {new String[0]}, new String[] {String[].class.getName()});
            StringBuilder sb = new StringBuilder();
            String[] all = String.valueOf(text).split("\n");
            for (int i = 0; i < Math.min(lines, all.length); i++) {
                sb.append(all[i]).append('\n');
            }
            if (all.length > 0) {
                sb.append(all[all.length - 1]).append('\n'); // the Total line
            }
            return sb.toString();
        } catch (JMException | RuntimeException e) {
            return "error " + e + "\n";
        }
    }

    private static void serve(ServerSocket server) {
        while (true) {
            try (Socket s = server.accept()) {
                BufferedReader in = new BufferedReader(
                        new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII));
                String line = in.readLine();
                String reply = "heap".equals(line) ? "heap_used " + heapAfterGc() + "\n"
                        : "histo".equals(line) ? classHistogram(40) + "END\n"
                        : "error unknown command\n";
                OutputStream out = s.getOutputStream();
                out.write(reply.getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException e) {
                System.err.println("control port: " + e);
            }
        }
    }
}
