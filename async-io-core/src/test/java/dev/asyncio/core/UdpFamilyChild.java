package dev.asyncio.core;

import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.StandardProtocolFamily;
import java.nio.channels.DatagramChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The child side of {@link UdpFamilyFidelityTest}: runs with {@code -Djdk.net.hosts.file} naming a host
 * {@code dualhost} with an IPv4 and an IPv6 address (and maybe {@code -Djava.net.preferIPv6Addresses=true}), wraps a
 * UDP channel with {@code createState}, sends to {@code dualhost}, and prints {@code OK <receiver>} if the datagram
 * reached the receiver of the channel's family, or {@code FAIL ...}.
 */
public final class UdpFamilyChild {

    private UdpFamilyChild() {
    }

    /** @param args the mode ({@code v6-specific}, {@code v6-wildcard-explicit}, {@code v4-wildcard}) */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        boolean v6 = !mode.equals("v4-wildcard");
        WaitStateCollection collection = WaitStateCollection.builder("udp-family").daemon(true).createAndRun();
        try (DatagramSocket receiver = new DatagramSocket(new InetSocketAddress(
                InetAddress.getByName(v6 ? "::1" : "127.0.0.1"), 0));
             DatagramChannel channel = DatagramChannel.open(v6 ? StandardProtocolFamily.INET6
                     : StandardProtocolFamily.INET)) {
            receiver.setSoTimeout(10_000);
            StateOptions options = StateOptions.DEFAULTS;
            switch (mode) {
                case "v6-specific" -> channel.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
                case "v6-wildcard-explicit" -> {
                    channel.bind(new InetSocketAddress(InetAddress.getByName("::"), 0));
                    options = StateOptions.builder().ipv6(true).build();
                }
                case "v4-wildcard" -> channel.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), 0));
                default -> throw new IllegalArgumentException(mode);
            }
            AsyncIoState state = collection.createState(channel, options);
            byte[] data = "to dualhost".getBytes(StandardCharsets.ISO_8859_1);
            CompletableFuture<String> sent = new CompletableFuture<>();
            state.sendMessageToAddress("dualhost", receiver.getLocalPort(), data, 0, data.length,
                    s -> sent.complete(s.writeStatus() + (s.writeFailure() != null ? " " + s.writeFailure() : "")));
            String status = sent.get(10, TimeUnit.SECONDS);
            if (!status.equals("OK")) {
                System.out.println("FAIL send " + status);
                return;
            }
            DatagramPacket p = new DatagramPacket(new byte[100], 100);
            try {
                receiver.receive(p);
                System.out.println("OK " + receiver.getLocalAddress().getHostAddress());
            } catch (java.net.SocketTimeoutException e) {
                System.out.println("FAIL nothing reached " + receiver.getLocalSocketAddress());
            }
        } catch (Throwable t) {
            System.out.println("FAIL " + t);
        } finally {
            System.out.flush();
            collection.close();
        }
    }
}
