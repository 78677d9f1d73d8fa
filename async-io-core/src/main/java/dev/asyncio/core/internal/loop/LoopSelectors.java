package dev.asyncio.core.internal.loop;

import dev.asyncio.core.internal.Loggers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.Selector;
import java.util.Iterator;
import java.util.Locale;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

/**
 * Chooses what a loop waits with: the JDK's NIO {@link Selector}, or the native {@link PollerProvider} found on the
 * class path. The system property {@value #PROPERTY} ({@code auto}, {@code nio}, {@code native}) sets the
 * process-wide mode; a collection may force its own. The process-wide choice is made and logged once, when the
 * first loop is made. Any thread.
 */
public final class LoopSelectors {

    /** The system property that sets the process-wide transport mode. */
    public static final String PROPERTY = "asyncio.transport";
    /** The modes a loop can be asked for. */
    public static final String AUTO = "auto";
    /** NIO whatever else is there. */
    public static final String NIO = "nio";
    /** The native transport or a failure. */
    public static final String NATIVE = "native";

    private static volatile LoopSelectors processDefault;
    private static volatile Discovered discovered;

    private final String name;
    private final String reason;
    private final PollerProvider provider;

    private LoopSelectors(String name, String reason, PollerProvider provider) {
        this.name = name;
        this.reason = reason;
        this.provider = provider;
    }

    /** @return {@code "nio"} or the native transport's name */
    public String name() {
        return name;
    }

    /** @return why this transport was chosen */
    public String reason() {
        return reason;
    }

    /**
     * @return a new selector of this transport
     * @throws IOException if the OS refuses one
     */
    public Selector open() throws IOException {
        return provider == null ? Selector.open() : provider.openSelector();
    }

    /** @return a reader and writer of direct buffers for one loop's sockets, or {@code null} for NIO's own */
    public DirectSocketIo socketIo() {
        return provider == null ? null : provider.socketIo();
    }

    /**
     * The process-wide choice, from {@value #PROPERTY}; made and logged once.
     *
     * @return the choice
     * @throws IllegalArgumentException if the property has a value other than auto, nio or native
     * @throws IllegalStateException if the property forces native and the native transport cannot run here
     */
    public static LoopSelectors processDefault() {
        LoopSelectors d = processDefault;
        if (d == null) {
            synchronized (LoopSelectors.class) {
                d = processDefault;
                if (d == null) {
                    String raw = System.getProperty(PROPERTY, AUTO);
                    d = choose(parse(raw, "system property " + PROPERTY), "system property " + PROPERTY + "="
                            + raw.trim().toLowerCase(Locale.ROOT));
                    LoopSelectors chosen = d;
                    Loggers.LOOP.log(Level.INFO, () -> "async-io transport: " + chosen.name + " (" + chosen.reason
                            + ")");
                    processDefault = d;
                }
            }
        }
        return d;
    }

    /**
     * A choice for one collection.
     *
     * @param mode {@code auto}, {@code nio}, {@code native}, or {@code null} for the process-wide choice
     * @param origin what asked for it, for the reason and the errors
     * @return the choice
     * @throws IllegalStateException if native is forced and cannot run here
     */
    public static LoopSelectors forMode(String mode, String origin) {
        if (mode == null) {
            return processDefault();
        }
        return choose(parse(mode, origin), origin + "=" + mode);
    }

    private static String parse(String raw, String origin) {
        String v = raw.trim().toLowerCase(Locale.ROOT);
        if (v.equals(AUTO) || v.equals(NIO) || v.equals(NATIVE)) {
            return v;
        }
        throw new IllegalArgumentException(origin + " must be auto, nio or native, got '" + raw + "'");
    }

    private static LoopSelectors choose(String mode, String origin) {
        if (mode.equals(NIO)) {
            return new LoopSelectors(NIO, origin, null);
        }
        boolean forced = mode.equals(NATIVE);
        Discovered found = discover();
        String why = found.provider == null ? found.reason : found.provider.unavailableReason(forced);
        if (why == null) {
            return new LoopSelectors(found.provider.name(), origin + ": the native transport runs in this JVM",
                    found.provider);
        }
        if (forced) {
            throw new IllegalStateException(origin + " asks for the native transport, which cannot run here: " + why);
        }
        return new LoopSelectors(NIO, origin + ": falling back to NIO because " + why, null);
    }

    private static Discovered discover() {
        Discovered d = discovered;
        if (d == null) {
            d = load();
            discovered = d;
        }
        return d;
    }

    private static Discovered load() {
        if (Runtime.version().feature() < 22) {
            return new Discovered(null, "the native transport needs JDK 22 or later (this is "
                    + Runtime.version().feature() + ")");
        }
        try {
            Iterator<PollerProvider> it = ServiceLoader.load(PollerProvider.class,
                    LoopSelectors.class.getClassLoader()).iterator();
            if (it.hasNext()) {
                return new Discovered(it.next(), null);
            }
            return new Discovered(null, "the async-io-native module is not on the class path");
        } catch (ServiceConfigurationError | LinkageError e) {
            return new Discovered(null, "the async-io-native module failed to load: " + e);
        }
    }

    private record Discovered(PollerProvider provider, String reason) {
    }
}
