package dev.asyncio.sample.udp;

import java.lang.System.Logger;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.function.Predicate;

import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.MessageTruncatedException;
import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.UdpOptions;
import dev.asyncio.core.WaitStateCollection;
import dev.asyncio.sample.logging.RateLimitedLog;

/**
 * A UDP echo: one unconnected UDP async-io state that sends every datagram it receives back to its sender.
 *
 * <p>UDP has no connections and no accepting handle: the server is one state that keeps a
 * {@code receiveMessage} operation armed and answers with {@code sendMessageToAddress}. When the state's output
 * queue is above its high-water mark (a slow network), datagrams are dropped instead of queued without bound, as
 * UDP allows; the {@link #dropped()} counter says how many.
 *
 * <p>Datagrams up to the IPv6 maximum ({@value #MAX_DATAGRAM} bytes) are received whole. The core sends at most the
 * IPv4 maximum ({@value #MAX_ECHO} bytes), so a larger one cannot be echoed: it is counted as
 * {@link #oversized()} instead of vanishing. A datagram the buffer could not hold (none can today) is counted as
 * {@link #truncated()}.
 *
 * <p><b>Not a reflector.</b> A sender address is whatever a datagram claims, so an echo that answers everyone can be
 * aimed at anyone, itself included: one datagram spoofed from its own address and port made the old echo answer
 * itself forever at about 185,000 datagrams a second ("Loop DoS", CVE-2024-2169). So the echo does not answer a
 * sender that {@link DatagramSourcePolicy} refuses (its own port at one of the host's addresses, port 0, a
 * well-known port below 1024 unless allowed, a multicast or wildcard address), and it answers one source address at
 * most {@link UdpEchoLimits#ratePerSource()} times a second ({@link SourceRateLimiter}). Each refusal is counted by
 * reason ({@link #refused(SourceVerdict)}) and logged at most once a minute with the number of refusals in between.
 *
 * <p>{@link #start} and {@link #close} may be called from any thread; the callbacks run on the collection's loop
 * thread. The counters may be read from any thread.
 */
public final class UdpEchoServer implements AutoCloseable {

    /**
     * The largest UDP payload over IPv6 without jumbograms (65,535 minus the 8-byte UDP header); IPv4 allows 20 bytes
     * less. A datagram never needs more room.
     */
    static final int MAX_DATAGRAM = 65_527;
    /** The largest datagram the core sends (the IPv4 maximum); larger ones are counted, not echoed. */
    static final int MAX_ECHO = 65_507;

    private static final Logger LOG = System.getLogger(UdpEchoServer.class.getName());

    private final AtomicLong received = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong dropped = new AtomicLong();
    private final AtomicLong oversized = new AtomicLong();
    private final AtomicLong truncated = new AtomicLong();
    private final AtomicLongArray refused = new AtomicLongArray(SourceVerdict.values().length);
    private final byte[] buffer = new byte[MAX_DATAGRAM];
    private final UdpEchoLimits limits;
    private final RateLimitedLog refusals;
    private volatile AsyncIoState state;
    // Set by start() before the first receive; used on the loop thread only.
    private DatagramSourcePolicy policy;
    private SourceRateLimiter rateLimiter;

    /** An echo with {@link UdpEchoLimits#DEFAULTS}. */
    public UdpEchoServer() {
        this(UdpEchoLimits.DEFAULTS);
    }

    /** @param limits which senders are answered, and how often */
    public UdpEchoServer(UdpEchoLimits limits) {
        this.limits = limits;
        this.refusals = new RateLimitedLog(LOG, Level.WARNING, Duration.ofMinutes(1));
    }

    /**
     * Binds the UDP socket and starts echoing.
     *
     * @param collection the collection whose loop thread serves the datagrams
     * @param address    the local address to bind; {@code null} = all interfaces
     * @param port       the local port; 0 = ephemeral
     * @throws IllegalStateException if already started
     * @throws java.io.UncheckedIOException if the port cannot be bound
     */
    public synchronized void start(WaitStateCollection collection, String address, int port) {
        if (state != null) {
            throw new IllegalStateException("UDP echo already started on port " + localPort());
        }
        // openUdp binds only when an address or a port is given (LispWorks semantics); a server on an ephemeral
        // port must still be bound before anyone can reach it.
        String bindAddress = address == null && port == 0 ? "0.0.0.0" : address;
        AsyncIoState s = collection.openUdp(UdpOptions.builder().localAddress(bindAddress).localPort(port).build());
        s.setName("udp-echo");
        policy = new DatagramSourcePolicy(s.localAddress().getPort(), limits.allowPrivilegedSourcePorts(),
                localAddresses());
        rateLimiter = new SourceRateLimiter(limits.ratePerSource(), limits.burstPerSource(),
                limits.maxTrackedSources(), System::nanoTime);
        state = s;
        s.receiveMessage(buffer, 0, buffer.length, this::received, OperationOptions.NONE);
    }

    private void received(AsyncIoState s, byte[] data, int count, InetSocketAddress sender) {
        if (!s.isOpen()) {
            return;
        }
        // Any error (an ICMP "port unreachable" from an earlier reply, for instance) concerns one datagram, not the
        // server: receive the next one. A truncation is counted, as it means a datagram was lost to us.
        if (s.readStatus() == IoStatus.ERROR && s.readFailure() instanceof MessageTruncatedException) {
            truncated.incrementAndGet();
        }
        if (sender != null && s.readStatus() == IoStatus.OK) {
            received.incrementAndGet();
            SourceVerdict verdict = policy.judge(sender);
            if (verdict == SourceVerdict.ANSWER && !rateLimiter.tryAcquire(sender.getAddress())) {
                verdict = SourceVerdict.RATE_LIMITED;
            }
            if (verdict != SourceVerdict.ANSWER) {
                refuse(verdict, sender);
            } else if (count > MAX_ECHO) {
                // Only over IPv6: sendMessageToAddress refuses it, and throwing from here would end the receive.
                oversized.incrementAndGet();
            } else if (s.isWritable()) {
                s.sendMessageToAddress(sender, Arrays.copyOf(data, count), 0, count, ignored -> sent.incrementAndGet(),
                        OperationOptions.NONE);
            } else {
                dropped.incrementAndGet();
            }
        }
        s.receiveMessage(buffer, 0, buffer.length, this::received, OperationOptions.NONE);
    }

    private void refuse(SourceVerdict verdict, InetSocketAddress sender) {
        long total = refused.incrementAndGet(verdict.ordinal());
        refusals.log(() -> "udp-echo: not answering a datagram from " + sender + " (" + verdict.reason() + "; "
                + total + " so far for this reason)");
    }

    /**
     * The host's addresses, read once at start: a datagram claiming one of them and the echo's port claims to be the
     * echo. Loopback and wildcard addresses are recognised without this.
     */
    private static Predicate<InetAddress> localAddresses() {
        Set<InetAddress> found = new HashSet<>();
        try {
            for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                found.addAll(Collections.list(nic.getInetAddresses()));
            }
        } catch (SocketException | RuntimeException unreadable) {
            LOG.log(Level.WARNING, () -> "udp-echo: cannot list this host's addresses (" + unreadable
                    + "); only loopback senders on the echo's own port are refused as itself");
        }
        return found::contains;
    }

    /** @return the bound port, or -1 before {@link #start} */
    public int localPort() {
        AsyncIoState s = state;
        InetSocketAddress local = s == null ? null : s.localAddress();
        return local == null ? -1 : local.getPort();
    }

    /** @return whether the socket is open */
    public boolean isOpen() {
        AsyncIoState s = state;
        return s != null && s.isOpen();
    }

    /** @return datagrams received */
    public long received() {
        return received.get();
    }

    /** @return datagrams echoed */
    public long sent() {
        return sent.get();
    }

    /** @return datagrams not echoed because the output queue was full */
    public long dropped() {
        return dropped.get();
    }

    /** @return datagrams received whole but too large to echo (over {@value #MAX_ECHO} bytes, IPv6 only) */
    public long oversized() {
        return oversized.get();
    }

    /**
     * @param reason a refusal ({@link SourceVerdict#ANSWER} counts nothing and returns 0)
     * @return datagrams received but not answered for that reason
     */
    public long refused(SourceVerdict reason) {
        return refused.get(reason.ordinal());
    }

    /** @return datagrams that did not fit the receive buffer (they cannot arrive over IPv4 or IPv6 today) */
    public long truncated() {
        return truncated.get();
    }

    /** Closes the socket; datagrams queued for sending are dropped (UDP promises nothing more). Idempotent. */
    @Override
    public synchronized void close() {
        AsyncIoState s = state;
        if (s != null) {
            s.close();
        }
    }
}
