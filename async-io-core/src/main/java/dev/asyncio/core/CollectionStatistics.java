package dev.asyncio.core;

/**
 * A snapshot of a collection's counters ({@link WaitStateCollection#statistics()}). Totals count since the
 * collection was made; the other figures are as of the snapshot.
 *
 * @param name the collection's name
 * @param alive whether its loop thread runs ({@link WaitStateCollection#isAlive()})
 * @param states open states in the collection
 * @param handles open accepting handles in the collection
 * @param tasksPending functions queued to the loop and not yet run
 * @param bytesRead bytes read from sockets, all states
 * @param bytesWritten bytes written to sockets, all states
 * @param timeouts operations ended by a timeout
 * @param errors operations ended by an I/O error
 * @param callbackFailures callbacks that threw
 * @param fatalCallbackFailures of those, errors of the JVM (out of memory, stack overflow): each closed its state
 * @param engineFailures failures of the engine itself that the loop survived (each closed what it was serving)
 */
public record CollectionStatistics(String name, boolean alive, int states, int handles, long tasksPending,
                                   long bytesRead, long bytesWritten, long timeouts, long errors,
                                   long callbackFailures, long fatalCallbackFailures, long engineFailures) {

    /**
     * The statistics without the failure figures added with the memory budget (they read 0).
     *
     * @param name the collection's name
     * @param alive whether its loop thread runs
     * @param states open states
     * @param handles open accepting handles
     * @param tasksPending functions queued to the loop
     * @param bytesRead bytes read
     * @param bytesWritten bytes written
     * @param timeouts operations ended by a timeout
     * @param errors operations ended by an I/O error
     * @param callbackFailures callbacks that threw
     */
    public CollectionStatistics(String name, boolean alive, int states, int handles, long tasksPending,
                                long bytesRead, long bytesWritten, long timeouts, long errors,
                                long callbackFailures) {
        this(name, alive, states, handles, tasksPending, bytesRead, bytesWritten, timeouts, errors, callbackFailures,
                0, 0);
    }
}
