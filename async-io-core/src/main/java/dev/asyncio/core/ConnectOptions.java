package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.loop.Timeouts;
import dev.asyncio.core.internal.net.ServiceNames;

import java.time.Duration;
import java.util.Objects;

/**
 * The keyword arguments of LispWorks' {@code create-async-io-state-and-connected-tcp-socket}.
 *
 * <p>Immutable; {@link #DEFAULTS}: no connect timeout, no local bind, {@code nodelay} on, {@code keepalive} off,
 * {@link IpFamily#ANY}, the state with {@link StateOptions#DEFAULTS}.
 */
public final class ConnectOptions {

    /** The defaults. */
    public static final ConnectOptions DEFAULTS = builder().build();

    private final Duration connectTimeout;
    private final String localAddress;
    private final int localPort;
    private final boolean nodelay;
    private final boolean keepalive;
    private final IpFamily ipFamily;
    private final StateOptions stateOptions;
    private final TlsOptions tls;

    private ConnectOptions(Builder b) {
        this.tls = b.tls;
        this.connectTimeout = b.connectTimeout;
        this.localAddress = b.localAddress;
        this.localPort = b.localPort;
        this.nodelay = b.nodelay;
        this.keepalive = b.keepalive;
        this.ipFamily = b.ipFamily;
        this.stateOptions = b.stateOptions;
    }

    /** @return a builder with the defaults */
    public static Builder builder() {
        return new Builder();
    }

    /** @return how long the connect may take; {@code null} = the system's limit */
    public @Nullable Duration connectTimeout() {
        return connectTimeout;
    }

    /** @return the local address to bind before connecting; {@code null} = any */
    public @Nullable String localAddress() {
        return localAddress;
    }

    /** @return the local port to bind before connecting; 0 = any */
    public int localPort() {
        return localPort;
    }

    /** @return whether the socket gets {@code TCP_NODELAY} */
    public boolean nodelay() {
        return nodelay;
    }

    /** @return whether the socket gets {@code SO_KEEPALIVE} */
    public boolean keepalive() {
        return keepalive;
    }

    /** @return which family a host name resolves to */
    public IpFamily ipFamily() {
        return ipFamily;
    }

    /** @return the options of the new state */
    public StateOptions stateOptions() {
        return stateOptions;
    }

    /**
     * @return TLS to attach as a client once connected, with the handshake done before the callback runs
     *         (LispWorks {@code :ssl-ctx} and friends); {@code null} = plain TCP
     */
    public @Nullable TlsOptions tls() {
        return tls;
    }

    /** Builds {@link ConnectOptions}; every setter checks its argument and throws {@link IllegalArgumentException}. */
    public static final class Builder {
        private Duration connectTimeout;
        private String localAddress;
        private int localPort;
        private boolean nodelay = true;
        private boolean keepalive;
        private IpFamily ipFamily = IpFamily.ANY;
        private StateOptions stateOptions = StateOptions.DEFAULTS;
        private TlsOptions tls;

        private Builder() {
        }

        /** @param tls TLS for the connection (client side, host name verification on by default); {@code null} = none @return this */
        public Builder tls(@Nullable TlsOptions tls) {
            this.tls = tls;
            return this;
        }

        /** @param connectTimeout positive or {@code null} (LispWorks {@code :connect-timeout}) @return this */
        public Builder connectTimeout(@Nullable Duration connectTimeout) {
            this.connectTimeout = Timeouts.check("connectTimeout", connectTimeout);
            return this;
        }

        /** @param localAddress address to bind before connecting (LispWorks {@code :local-address}) @return this */
        public Builder localAddress(String localAddress) {
            this.localAddress = localAddress;
            return this;
        }

        /** @param localPort 0..65535 (LispWorks {@code :local-port}) @return this */
        public Builder localPort(int localPort) {
            this.localPort = ServiceNames.checkPort("localPort", localPort);
            return this;
        }

        /** @param nodelay {@code TCP_NODELAY} (LispWorks {@code :nodelay}, default on) @return this */
        public Builder nodelay(boolean nodelay) {
            this.nodelay = nodelay;
            return this;
        }

        /** @param keepalive {@code SO_KEEPALIVE} (LispWorks {@code :keepalive}, default off) @return this */
        public Builder keepalive(boolean keepalive) {
            this.keepalive = keepalive;
            return this;
        }

        /** @param ipFamily the family a host name resolves to ({@link IpFamily#BOTH} acts as ANY) @return this */
        public Builder ipFamily(IpFamily ipFamily) {
            this.ipFamily = Objects.requireNonNull(ipFamily, "ipFamily");
            return this;
        }

        /** @param stateOptions options of the new state @return this */
        public Builder stateOptions(StateOptions stateOptions) {
            this.stateOptions = Objects.requireNonNull(stateOptions, "stateOptions");
            return this;
        }

        /** @return the options */
        public ConnectOptions build() {
            return new ConnectOptions(this);
        }
    }
}
