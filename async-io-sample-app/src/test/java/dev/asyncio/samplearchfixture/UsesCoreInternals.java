package dev.asyncio.samplearchfixture;

import dev.asyncio.core.internal.Loggers;

/** A class that breaks the rule on purpose: the sample's {@code ArchitectureTests} must report it. */
public final class UsesCoreInternals {

    private UsesCoreInternals() {
    }

    /** @return a logger of the core's engine, which no class outside the core may reach */
    public static System.Logger engineLogger() {
        return Loggers.LOOP;
    }
}
