package dev.asyncio.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;

/**
 * The child JVM of {@link AcceptBackoffTest}, started with a low file-descriptor limit: it accepts on an ephemeral
 * port and answers {@code stats} on its standard input with the handle's accept figures.
 */
public final class AcceptBackoffChild {

    private AcceptBackoffChild() {
    }

    /**
     * @param args none
     * @throws Exception if the child fails
     */
    public static void main(String[] args) throws Exception {
        preloadCoreClasses();
        WaitStateCollection c = WaitStateCollection.builder("child").daemon(true).createAndRun();
        AcceptingHandle h = c.acceptTcpConnections(0, (handle, s) -> s.readWithChecking((st, b, end) -> {
            if (st.readStatus() != IoStatus.OK) {
                st.close();
            } else {
                st.discard(end);
            }
        }), AcceptOptions.builder().address("127.0.0.1").backlog(1024).build());
        // Out of descriptors the JVM cannot open class files: load what answering needs before the flood.
        if (stats(h, c).isEmpty()) {
            throw new IllegalStateException("no statistics");
        }
        // An application logs at start-up; its logging is set up before any flood can take the descriptors.
        System.getLogger("child").log(System.Logger.Level.INFO, "child listening");
        System.out.println("port " + h.localPort());
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("dump")) {
                Thread.getAllStackTraces().forEach((t, st) -> {
                    if (t.getName().startsWith("Loop")) {
                        System.out.println(t + " " + java.util.Arrays.toString(st));
                    }
                });
            }
            System.out.println(stats(h, c));
        }
    }

    /**
     * Run from a class directory, each class loaded for the first time needs a file descriptor, and there are none
     * during the test; from a jar (as deployed) it needs none. So load every core class first, as a jar would allow.
     */
    static void preloadCoreClasses() throws Exception {
        java.nio.file.Path root = java.nio.file.Path.of(WaitStateCollection.class.getProtectionDomain().getCodeSource()
                .getLocation().toURI());
        try (var files = java.nio.file.Files.walk(root)) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>) files::iterator) {
                String name = root.relativize(f).toString();
                if (name.endsWith(".class") && !name.contains("module-info")) {
                    Class.forName(name.substring(0, name.length() - 6).replace('/', '.'), false,
                            AcceptBackoffChild.class.getClassLoader());
                }
            }
        }
    }

    private static String stats(AcceptingHandle h, WaitStateCollection c) {
        HandleStatistics st = h.statistics();
        return "stats accepted=" + st.accepted() + " active=" + st.active() + " failures=" + st.acceptFailures()
                + " backoff=" + st.acceptBackoff() + " alive=" + c.isAlive();
    }
}
