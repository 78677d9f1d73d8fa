package dev.asyncio.bench.chaos;

/**
 * One chaos scenario: starts what it needs (normally its own sample process through {@link ChaosEnv#start}), attacks
 * it, checks its pass criterion and returns the figures. Must be bounded in time and must leave nothing running.
 */
interface Scenario {

    /** @return the name used on the command line and in the report, e.g. {@code budget-attack} */
    String name();

    /** @return the pass criterion in one sentence, as the report prints it */
    String criterion();

    /**
     * @param env the jar, the ports, where logs go
     * @return what it found
     * @throws Exception anything unexpected; the runner reports it as a FAIL
     */
    Outcome run(ChaosEnv env) throws Exception;
}
