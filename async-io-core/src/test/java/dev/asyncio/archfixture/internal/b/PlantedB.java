package dev.asyncio.archfixture.internal.b;

import dev.asyncio.archfixture.internal.a.PlantedA;

/** The other half of the deliberate package cycle: reaches back into package {@code a}. */
public class PlantedB {
    /** Reaches back into package {@code a}. */
    public PlantedA back() {
        return new PlantedA();
    }
}
