package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.net.ServiceNames;

import java.util.Objects;

/**
 * The keyword arguments of LispWorks' {@code create-async-io-state-and-udp-socket} and
 * {@code create-async-io-state-and-connected-udp-socket}.
 *
 * <p>Immutable; {@link #DEFAULTS}: no local bind, {@link IpFamily#ANY}, {@code errorp} on, and states with
 * {@code queueOutput} on (LispWorks' default for UDP).
 *
 * <p><b>Writing a UDP server.</b> A datagram's sender address is whatever the datagram claims, so a server that
 * answers every datagram ({@code receiveMessage} then {@code sendMessageToAddress} to the sender) can be aimed at
 * anyone, itself included: one datagram spoofed from the server's own address and port, or from another reflecting
 * service (echo 7, daytime 13, chargen 19, DNS 53, NTP 123…), makes the two answer each other forever, at full speed
 * (the "Loop DoS" class, CVE-2024-2169). The core answers nothing by itself; a server that replies should not answer
 * a sender on its own port at one of the host's addresses, on port 0, or on a well-known port below 1024 unless it
 * means to, and should bound what one source address can make it send (a token bucket per source, in a table of
 * bounded size). The sample app's {@code UdpEchoServer} shows one way.
 */
public final class UdpOptions {

    /** The defaults. */
    public static final UdpOptions DEFAULTS = builder().build();

    private final String localAddress;
    private final int localPort;
    private final IpFamily ipFamily;
    private final boolean errorp;
    private final StateOptions stateOptions;

    private UdpOptions(Builder b) {
        this.localAddress = b.localAddress;
        this.localPort = b.localPort;
        this.ipFamily = b.ipFamily;
        this.errorp = b.errorp;
        this.stateOptions = b.stateOptions;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the local address to bind; {@code null} = any */
    public @Nullable String localAddress() {
        return localAddress;
    }

    /** @return the local port to bind; 0 = ephemeral (bound only if this or the address is set) */
    public int localPort() {
        return localPort;
    }

    /** @return the socket's family */
    public IpFamily ipFamily() {
        return ipFamily;
    }

    /** @return whether a failure to make the socket throws (true) or returns {@code null} (false) */
    public boolean errorp() {
        return errorp;
    }

    /** @return the options of the new state */
    public StateOptions stateOptions() {
        return stateOptions;
    }

    /** Builds {@link UdpOptions}. */
    public static final class Builder {
        private String localAddress;
        private int localPort;
        private IpFamily ipFamily = IpFamily.ANY;
        private boolean errorp = true;
        private StateOptions stateOptions = StateOptions.builder().queueOutput(true).build();

        private Builder() {
        }

        /** @param localAddress address to bind (LispWorks {@code :local-address}) @return this */
        public Builder localAddress(String localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        /** @param localPort 0..65535 (LispWorks {@code :local-port}) @return this */
        public Builder localPort(int localPort) {
            this.localPort = ServiceNames.checkPort("localPort", localPort);
            return this;
        }

        /** @param ipFamily the socket's family (LispWorks {@code :ipv6}; {@link IpFamily#BOTH} = dual stack) @return this */
        public Builder ipFamily(IpFamily ipFamily) {
            this.ipFamily = Objects.requireNonNull(ipFamily, "ipFamily");
            return this;
        }

        /** @param errorp false to get {@code null} instead of an exception when the socket cannot be made @return this */
        public Builder errorp(boolean errorp) {
            this.errorp = errorp;
            return this;
        }

        /** @param stateOptions options of the new state (queueOutput defaults to true here) @return this */
        public Builder stateOptions(StateOptions stateOptions) {
            this.stateOptions = Objects.requireNonNull(stateOptions, "stateOptions");
            return this;
        }

        /** @return the options */
        public UdpOptions build() {
            return new UdpOptions(this);
        }
    }
}
