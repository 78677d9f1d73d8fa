package dev.asyncio.core;

import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child side of {@link InheritedChannelFidelityTest}: a JVM started with a socket as its standard input wraps
 * it with the library and answers one exchange, then prints {@code OK ...} and exits 0 (1 on any failure).
 * Modes: {@code tcp} (connected TCP socket), {@code udp} (connected UDP socket), {@code listen} (listening socket).
 */
public final class InheritedChannelChild {
    private static final long WAIT_SECONDS = 20;

    private InheritedChannelChild() {
    }

    /** @param args the mode ({@code tcp}, {@code udp <parent port>}, {@code listen}) */
    public static void main(String[] args) throws Exception {
        WaitStateCollection collection = WaitStateCollection.builder("child").daemon(true).createAndRun();
        try {
            switch (args[0]) {
                case "tcp" -> {
                    AsyncIoState state = collection.createStateForInheritedChannel(
                            StateOptions.builder().name("inherited").build());
                    System.out.println("OK tcp " + echoLine(state));
                    System.out.flush();
                    // Closing an inherited socket makes the JDK point stdin, stdout and stderr at /dev/null (inetd
                    // passes the socket on all three): so the report goes out first.
                    state.close();
                }
                case "udp" -> udp(collection, Integer.parseInt(args[1]));
                case "udp-send-probe" -> udpSendProbe(collection, Integer.parseInt(args[1]));
                case "listen" -> listen(collection);
                default -> throw new IllegalArgumentException(args[0]);
            }
            System.out.flush();
        } catch (Throwable t) {
            t.printStackTrace();
            System.exit(1);
        } finally {
            collection.close();
        }
        System.exit(0);
    }

    /** Reads one line and answers {@code ECHO:<line>}; @return the line. */
    private static String echoLine(AsyncIoState state) throws Exception {
        CompletableFuture<String> done = new CompletableFuture<>();
        state.readWithChecking((s, buf, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                done.completeExceptionally(new IllegalStateException("read status " + s.readStatus()));
                s.finish();
                return;
            }
            for (int i = 0; i < end; i++) {
                if (buf[i] == '\n') {
                    String line = new String(buf, 0, i, StandardCharsets.ISO_8859_1);
                    s.finish(i + 1);
                    byte[] reply = ("ECHO:" + line + "\n").getBytes(StandardCharsets.ISO_8859_1);
                    s.writeBuffer(reply, 0, reply.length, (s2, b, n) -> done.complete(line));
                    return;
                }
            }
        });
        return done.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static void udp(WaitStateCollection collection, int parentPort) throws Exception {
        AsyncIoState state = collection.createStateForInheritedChannel(StateOptions.builder().name("udp").build());
        // Java does not read the peer of an inherited datagram socket: the state is unconnected, so it sends to
        // addresses (to make it a connected state, connect System.inheritedChannel() to the peer first).
        if (((java.nio.channels.DatagramChannel) state.channel()).isConnected()) {
            throw new IllegalStateException("expected an unconnected state");
        }
        CompletableFuture<String> got = new CompletableFuture<>();
        byte[] in = new byte[100];
        state.receiveMessage(in, 0, in.length, (s, b, n) -> got.complete(new String(b, 0, n,
                StandardCharsets.ISO_8859_1)));
        byte[] ready = "ready".getBytes(StandardCharsets.ISO_8859_1);
        state.sendMessageToAddress("127.0.0.1", parentPort, ready, 0, ready.length, null);
        String ping = got.get(WAIT_SECONDS, TimeUnit.SECONDS);
        byte[] reply = ("ECHO:" + ping).getBytes(StandardCharsets.ISO_8859_1);
        CompletableFuture<Void> sent = new CompletableFuture<>();
        state.sendMessageToAddress("127.0.0.1", parentPort, reply, 0, reply.length, s -> sent.complete(null));
        sent.get(WAIT_SECONDS, TimeUnit.SECONDS);
        System.out.println("OK udp " + ping + " " + state.localAddress().getPort());
    }

    /**
     * Makes the state (which warns, on a JDK that takes the socket for an IPv6 one), then says whether this JDK can
     * send from the inherited channel at all: {@code SEND-WORKS} or {@code SEND-FAILS}.
     */
    private static void udpSendProbe(WaitStateCollection collection, int parentPort) throws Exception {
        collection.createStateForInheritedChannel(StateOptions.builder().name("udp").build());
        var udp = (java.nio.channels.DatagramChannel) System.inheritedChannel();
        try {
            udp.send(java.nio.ByteBuffer.wrap(new byte[] {'p'}), new java.net.InetSocketAddress("127.0.0.1",
                    parentPort));
            System.out.println("SEND-WORKS");
        } catch (java.net.SocketException e) {
            System.out.println("SEND-FAILS");
        }
    }

    private static void listen(WaitStateCollection collection) throws Exception {
        CompletableFuture<String> served = new CompletableFuture<>();
        AcceptingHandle handle = collection.acceptInheritedConnections((h, s) -> {
            try {
                // The connection function runs on the loop: hand the blocking wait to another thread.
                CompletableFuture.runAsync(() -> {
                    try {
                        served.complete(echoLine(s));
                        s.close();
                    } catch (Exception e) {
                        served.completeExceptionally(e);
                    }
                });
            } catch (RuntimeException e) {
                served.completeExceptionally(e);
            }
        }, AcceptOptions.DEFAULTS);
        System.out.println("PORT " + handle.localPort());
        System.out.flush();
        String line = served.get(WAIT_SECONDS, TimeUnit.SECONDS);
        System.out.println("OK listen " + line);
        System.out.flush();
        handle.close(); // the inherited listener: stdout goes to /dev/null after this
    }
}
