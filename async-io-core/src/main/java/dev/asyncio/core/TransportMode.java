package dev.asyncio.core;

/**
 * Which transport a collection's loop uses: how it waits for its sockets to become ready. Beyond LispWorks.
 *
 * <p>The process-wide default comes from the system property {@code asyncio.transport} ({@code auto},
 * {@code nio} or {@code native}; default {@code auto}); {@link WaitStateCollection.Builder#transport} overrides it
 * for one collection. The native transport comes from the {@code async-io-native} module (Linux, JDK 22 or later,
 * started with {@code --enable-native-access=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED}); every
 * operation behaves the same on both.
 */
public enum TransportMode {
    /** The native transport where this JVM and OS allow it, else NIO; the reason is logged once at start-up. */
    AUTO,
    /** The JDK's NIO {@link java.nio.channels.Selector}, whatever else is available. */
    NIO,
    /** The native transport; creating a collection fails, naming the reason, where it cannot run. */
    NATIVE
}
