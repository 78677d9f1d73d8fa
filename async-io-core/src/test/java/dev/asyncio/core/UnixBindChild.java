package dev.asyncio.core;

import java.nio.file.Path;

/**
 * The child JVM of {@link UnixSocketBindTest}, run as another user: tries to bind a Unix socket path and prints
 * {@code BOUND} or {@code REFUSED <problem> <message>}.
 */
public final class UnixBindChild {

    private UnixBindChild() {
    }

    /**
     * @param args the socket path
     */
    public static void main(String[] args) {
        WaitStateCollection c = WaitStateCollection.builder("child").daemon(true).createAndRun();
        try {
            c.acceptUnixConnections(Path.of(args[0]), (h, s) -> s.close(), AcceptOptions.DEFAULTS);
            System.out.println("BOUND");
        } catch (BindFailedException e) {
            System.out.println("REFUSED " + e.unixProblem() + " " + e.getMessage());
        } finally {
            System.out.flush();
            c.close();
        }
    }
}
