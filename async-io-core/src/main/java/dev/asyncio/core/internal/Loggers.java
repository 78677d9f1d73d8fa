package dev.asyncio.core.internal;

/** The {@link System.Logger}s of the core, one per concern so that users can tune them apart. */
public final class Loggers {
    public static final System.Logger LOOP = System.getLogger("dev.asyncio.core.loop");
    public static final System.Logger CALLBACKS = System.getLogger("dev.asyncio.core.callbacks");
    public static final System.Logger ACCEPT = System.getLogger("dev.asyncio.core.accept");

    private Loggers() {
    }
}
