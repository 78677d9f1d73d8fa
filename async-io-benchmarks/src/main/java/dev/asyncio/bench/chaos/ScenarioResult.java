package dev.asyncio.bench.chaos;

/**
 * One scenario's run as the report shows it.
 *
 * @param name      the scenario's name
 * @param criterion its pass criterion in words
 * @param outcome   what it found
 * @param seconds   how long it took, start-up of its sample process included
 */
record ScenarioResult(String name, String criterion, Outcome outcome, double seconds) {
}
