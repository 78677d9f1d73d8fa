package dev.asyncio.sample.udp;

/**
 * What the UDP echo answers and how often ({@code sample.udp-echo.*}).
 *
 * @param allowPrivilegedSourcePorts whether senders on well-known ports (1-1023) are answered; off by default, as
 *                                   reflecting services (echo, chargen, DNS, NTP) live there
 * @param ratePerSource              answers per second to one source address, on average
 * @param burstPerSource             the most answers a quiet source address gets at once
 * @param maxTrackedSources          the most source addresses with a rate-limit bucket of their own; the rest share
 *                                   one
 */
public record UdpEchoLimits(boolean allowPrivilegedSourcePorts, int ratePerSource, int burstPerSource,
        int maxTrackedSources) {

    /** No privileged ports; 100 answers a second per source in bursts of 200; 10,000 tracked sources. */
    public static final UdpEchoLimits DEFAULTS = new UdpEchoLimits(false, 100, 200, 10_000);

    /**
     * Checks the values.
     *
     * @param allowPrivilegedSourcePorts whether senders on ports 1-1023 are answered
     * @param ratePerSource              answers per second per source; positive
     * @param burstPerSource             burst per source; positive
     * @param maxTrackedSources          sources with a bucket of their own; positive
     * @throws IllegalArgumentException naming the {@code sample.udp-echo.*} property that is out of range
     */
    public UdpEchoLimits {
        positive("rate-per-source", ratePerSource);
        positive("burst-per-source", burstPerSource);
        positive("max-tracked-sources", maxTrackedSources);
    }

    private static void positive(String property, int value) {
        if (value <= 0) {
            throw new IllegalArgumentException("sample.udp-echo." + property + " must be positive, got " + value);
        }
    }
}
