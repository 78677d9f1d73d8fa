package dev.asyncio.bench.server;

import java.io.IOException;

/**
 * A Java agent that gives a JVM the benchmark's {@link ControlPort} without changing its code: {@code run.sh} runs
 * the sample app (a Spring Boot jar, as users deploy it) with {@code -javaagent:control-agent.jar=PORT}, so the
 * memory phase can ask it for its heap after GC like every other Java server. {@code run.sh} packs just this class
 * and {@link ControlPort} into that jar (both use nothing but the JDK), so nothing of the benchmark's classpath
 * (async-io, Netty) lands on the application's system class path.
 */
public final class ControlAgent {

    private ControlAgent() {
    }

    /**
     * Starts the control port before the application's {@code main}. Runs on the JVM's main thread.
     *
     * @param args the control port number; empty or 0 = none
     * @throws IOException when the port cannot be bound
     * @throws IllegalArgumentException when {@code args} is not a number
     */
    public static void premain(String args) throws IOException {
        if (args == null || args.isBlank()) {
            return;
        }
        try {
            ControlPort.startIfRequested(Integer.parseInt(args.strip()));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("control agent: the argument must be a port number, got '" + args + "'",
                    e);
        }
    }
}
