package dev.asyncio.spring;

import java.nio.file.Files;
import java.nio.file.Path;

import dev.asyncio.core.BindFailedException;
import dev.asyncio.core.UnixBindProblem;

/**
 * The action of a start-up report for a {@code unix-socket-path} that could not be bound, fitted to the cause: a
 * live server is to be stopped, a missing directory created, a file that is not a socket removed. The cause comes
 * from {@link BindFailedException#unixProblem()}; a plain bind failure is told apart by looking at the directory.
 * Stateless; any thread.
 */
final class UnixBindAdvice {

    private UnixBindAdvice() {
    }

    /**
     * @param property the {@code async-io.handles.<name>.unix-socket-path} property
     * @param path the path it names
     * @param failure what the bind threw
     * @return what the user should do
     */
    static String action(String property, Path path, RuntimeException failure) {
        String elsewhere = "or set " + property + " to another path.";
        UnixBindProblem problem = (failure instanceof BindFailedException ex) ? ex.unixProblem() : null;
        if (problem == null) {
            return "Check " + property + ".";
        }
        return switch (problem) {
            case LIVE_SERVER -> "Stop the server that listens on it, " + elsewhere;
            case UNKNOWN_OWNER -> "Another user's server may listen on it, so it was left alone: check who owns "
                    + path + ", remove it if that server is gone, " + elsewhere;
            case NOT_A_SOCKET -> "It is not a socket file, so it was left alone: remove it if it is not needed, "
                    + elsewhere;
            case STALE_FILE_NOT_REMOVABLE -> "Remove the stale socket file (the application's user may not), "
                    + elsewhere;
            case EMPTY_PATH -> "Set " + property + " to the socket file's path.";
            case BIND_FAILED -> bindFailed(property, path, elsewhere);
        };
    }

    private static String bindFailed(String property, Path path, String elsewhere) {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null && !Files.isDirectory(parent)) {
            return "Create the directory " + parent + ", or set " + property + " to a path in an existing directory.";
        }
        if (parent != null && !Files.isWritable(parent)) {
            return "Let the application's user create files in " + parent + ", " + elsewhere;
        }
        return "Check " + property + " (a relative path is relative to the working directory), " + elsewhere;
    }
}
