package dev.asyncio.archfixture.client;

import dev.asyncio.archfixture.internal.a.PlantedA;

/** A planted violation for {@code ArchitectureTest}: a client class that reaches into {@code internal}. */
public class PlantedClient {
    PlantedA reachesIntoInternal;
}
