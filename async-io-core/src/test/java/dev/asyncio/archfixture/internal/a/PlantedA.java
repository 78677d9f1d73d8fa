package dev.asyncio.archfixture.internal.a;

import dev.asyncio.archfixture.internal.b.PlantedB;

/** Half of a deliberate package cycle ({@code a -> b -> a}) that {@code ArchitectureTest} must report. */
public class PlantedA {
    /** Reaches into package {@code b}. */
    public PlantedB next() {
        return new PlantedB();
    }
}
