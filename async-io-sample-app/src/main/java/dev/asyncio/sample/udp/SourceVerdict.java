package dev.asyncio.sample.udp;

/**
 * What the UDP echo does with one datagram, decided from its sender alone. Each refusal is a bounded {@code reason}
 * tag value of the {@code sample.udp.echo.refused} counter.
 */
public enum SourceVerdict {

    /** Echo it. */
    ANSWER(null),
    /** The sender claims to be this echo (its port at one of the host's addresses): answering would loop forever. */
    OWN_ADDRESS("own-address"),
    /**
     * The sender claims this echo's port at another host: most likely another echo like this one, and two echoes that
     * answer each other loop forever.
     */
    SAME_PORT_ELSEWHERE("same-port-elsewhere"),
    /** The sender claims port 0, which no socket sends from: forged. */
    PORT_ZERO("port-zero"),
    /**
     * The sender claims a well-known port below 1024 (echo, chargen, DNS, NTP…), where another reflecting service may
     * listen: answering could start a loop between the two.
     */
    PRIVILEGED_PORT("privileged-port"),
    /** The sender claims a multicast, broadcast-like or wildcard address, which no datagram comes from. */
    INVALID_ADDRESS("invalid-address"),
    /** The sender's address sent more than its rate allows. */
    RATE_LIMITED("rate-limited");

    private final String reason;

    SourceVerdict(String reason) {
        this.reason = reason;
    }

    /** @return the metric tag and log word of a refusal; {@code null} for {@link #ANSWER} */
    public String reason() {
        return reason;
    }
}
