package dev.asyncio.core;

/**
 * A snapshot of an accepting handle's counters ({@link AcceptingHandle#statistics()}).
 *
 * @param name the handle's name
 * @param open whether it still listens
 * @param localPort the port it listens (or listened) on
 * @param accepted connections accepted since it was made
 * @param active connections of this handle open now
 * @param rejected connections closed at once because setting them up failed (a failing socket option, a closed
 *        worker collection); refusals by policy are counted apart
 * @param paused whether accepting is paused because {@link AcceptOptions#maxConnections()} is reached
 * @param bytesRead bytes read by its connections
 * @param bytesWritten bytes written by its connections
 * @param timeouts operations of its connections ended by a timeout
 * @param errors operations of its connections ended by an I/O error
 * @param callbackFailures callbacks of its connections (and its connection function) that threw
 * @param acceptFailures accepts that failed (out of file descriptors, say)
 * @param acceptBackoff whether accepting is backing off after failing accepts now
 * @param memoryUsed bytes its live connections hold, charged to their memory budget
 * @param maxConnections the handle's {@link AcceptOptions#maxConnections()} in effect (0 = no limit)
 * @param refusedMaxConnections connections reset at once because {@code maxConnections} were open
 *        ({@link MaxConnectionsPolicy#REFUSE})
 * @param refusedNoDescriptors connections reset at once because the process was out of file descriptors (accepted
 *        with the engine's spare descriptor only to be closed)
 */
public record HandleStatistics(String name, boolean open, int localPort, long accepted, int active, long rejected,
                               boolean paused, long bytesRead, long bytesWritten, long timeouts, long errors,
                               long callbackFailures, long acceptFailures, boolean acceptBackoff, long memoryUsed,
                               int maxConnections, long refusedMaxConnections, long refusedNoDescriptors) {

    /**
     * The statistics without the connection limit and the refusals (as before they existed): they read 0.
     *
     * @param name the handle's name
     * @param open whether it still listens
     * @param localPort the port
     * @param accepted connections accepted
     * @param active connections open now
     * @param rejected connections closed at once
     * @param paused whether accepting is paused at the limit
     * @param bytesRead bytes read
     * @param bytesWritten bytes written
     * @param timeouts operations ended by a timeout
     * @param errors operations ended by an I/O error
     * @param callbackFailures callbacks that threw
     * @param acceptFailures accepts that failed
     * @param acceptBackoff whether accepting is backing off
     * @param memoryUsed bytes held
     */
    public HandleStatistics(String name, boolean open, int localPort, long accepted, int active, long rejected,
                            boolean paused, long bytesRead, long bytesWritten, long timeouts, long errors,
                            long callbackFailures, long acceptFailures, boolean acceptBackoff, long memoryUsed) {
        this(name, open, localPort, accepted, active, rejected, paused, bytesRead, bytesWritten, timeouts, errors,
                callbackFailures, acceptFailures, acceptBackoff, memoryUsed, 0, 0, 0);
    }

    /** @return connections reset at once for either reason ({@link #refusedMaxConnections()} + {@link #refusedNoDescriptors()}) */
    public long refused() {
        return refusedMaxConnections + refusedNoDescriptors;
    }

    /**
     * The statistics without the accept-failure and memory figures (as before they existed): they read 0.
     *
     * @param name the handle's name
     * @param open whether it still listens
     * @param localPort the port
     * @param accepted connections accepted
     * @param active connections open now
     * @param rejected connections closed at once
     * @param paused whether accepting is paused at the limit
     * @param bytesRead bytes read
     * @param bytesWritten bytes written
     * @param timeouts operations ended by a timeout
     * @param errors operations ended by an I/O error
     * @param callbackFailures callbacks that threw
     */
    public HandleStatistics(String name, boolean open, int localPort, long accepted, int active, long rejected,
                            boolean paused, long bytesRead, long bytesWritten, long timeouts, long errors,
                            long callbackFailures) {
        this(name, open, localPort, accepted, active, rejected, paused, bytesRead, bytesWritten, timeouts, errors,
                callbackFailures, 0, false, 0, 0, 0, 0);
    }
}
