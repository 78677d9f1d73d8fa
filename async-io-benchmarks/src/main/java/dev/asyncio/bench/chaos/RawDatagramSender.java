package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

/**
 * Sends a hand-built IPv4 datagram through a raw socket. The JDK has no raw sockets, so a one-line python3 program
 * ({@code socket(AF_INET, SOCK_RAW, IPPROTO_RAW)}, which includes the IP header) sends the bytes
 * {@link Ipv4UdpPacket} built. Needs root and python3; {@link #unavailable()} says why not when either is missing.
 */
final class RawDatagramSender {

    private static final String SCRIPT = "import socket,sys\n"
            + "s=socket.socket(socket.AF_INET,socket.SOCK_RAW,socket.IPPROTO_RAW)\n"
            + "p=bytes.fromhex(sys.argv[1])\n"
            + "s.sendto(p,(sys.argv[2],0))\n";

    private RawDatagramSender() {
    }

    /** @return why a raw datagram cannot be sent here, or null when it can */
    static String unavailable() {
        if (!ProcCpu.root()) {
            return "needs root for a raw socket (run chaos.sh as root)";
        }
        try {
            Process p = new ProcessBuilder("python3", "--version").redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0 ? null : "python3 does not run";
        } catch (IOException e) {
            return "needs python3 for the raw socket: " + e.getMessage();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    /**
     * @param packet      the whole IPv4 datagram
     * @param destination the destination address in dotted form (the kernel routes by it)
     * @throws IOException when python3 fails to send it
     */
    static void send(byte[] packet, String destination) throws IOException {
        Process p = new ProcessBuilder("python3", "-c", SCRIPT, HexFormat.of().formatHex(packet), destination)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
                p.destroyForcibly();
                throw new IOException("the raw send failed: " + output.strip());
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        }
    }
}
