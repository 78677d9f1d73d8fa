package dev.asyncio.core;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * The child JVM of {@link AcceptOutOfDescriptorsTest}: an echo handle on an ephemeral port that, on {@code exhaust},
 * opens files until the process has no file descriptor left, and on {@code release} closes them again; any other
 * line answers with the handle's figures.
 */
public final class AcceptOutOfDescriptorsChild {

    private AcceptOutOfDescriptorsChild() {
    }

    private static void echo(AsyncIoState state) {
        state.readWithChecking((s, b, end) -> {
            if (s.readStatus() != IoStatus.OK) {
                s.finish();
                s.close();
                return;
            }
            byte[] copy = Arrays.copyOf(b, end);
            s.finish(end);
            s.writeBuffer(copy, (s2, b2, n) -> {
                if (s2.writeStatus() == IoStatus.OK) {
                    echo(s2);
                } else {
                    s2.close();
                }
            });
        });
    }

    /**
     * @param args none
     * @throws Exception if the child fails
     */
    public static void main(String[] args) throws Exception {
        AcceptBackoffChild.preloadCoreClasses();
        // What resetting a refused connection loads, loaded while class files can still be opened.
        try (java.nio.channels.SocketChannel warm = java.nio.channels.SocketChannel.open()) {
            warm.setOption(java.net.StandardSocketOptions.SO_LINGER, 0);
        }
        WaitStateCollection c = WaitStateCollection.builder("child").daemon(true).createAndRun();
        AcceptingHandle h = c.acceptTcpConnections(0, (handle, s) -> echo(s),
                AcceptOptions.builder().address("127.0.0.1").backlog(1024).build());
        String first = stats(h, c);
        System.getLogger("child").log(System.Logger.Level.INFO, "child listening " + first.length());
        System.out.println("port " + h.localPort());
        List<FileChannel> hogs = new ArrayList<>();
        Path devNull = Path.of("/dev/null");
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line; (line = in.readLine()) != null; ) {
            if (line.equals("exhaust")) {
                try {
                    while (true) {
                        hogs.add(FileChannel.open(devNull, StandardOpenOption.READ));
                    }
                } catch (java.io.IOException outOfDescriptors) {
                    System.out.println("exhausted " + hogs.size());
                }
            } else if (line.equals("release")) {
                for (FileChannel f : hogs) {
                    f.close();
                }
                hogs.clear();
                System.out.println("released");
            } else {
                System.out.println(stats(h, c));
            }
        }
    }

    private static String stats(AcceptingHandle h, WaitStateCollection c) {
        HandleStatistics st = h.statistics();
        return "stats accepted=" + st.accepted() + " active=" + st.active() + " failures=" + st.acceptFailures()
                + " backoff=" + st.acceptBackoff() + " refused=" + st.refusedNoDescriptors() + " alive=" + c.isAlive();
    }
}
