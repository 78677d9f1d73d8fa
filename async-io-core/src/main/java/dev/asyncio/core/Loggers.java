package dev.asyncio.core;

/** The {@link System.Logger}s of the core, one per concern so that users can tune them apart. */
final class Loggers {
    static final System.Logger LOOP = System.getLogger("dev.asyncio.core.loop");
    static final System.Logger CALLBACKS = System.getLogger("dev.asyncio.core.callbacks");
    static final System.Logger ACCEPT = System.getLogger("dev.asyncio.core.accept");

    private Loggers() {
    }
}
