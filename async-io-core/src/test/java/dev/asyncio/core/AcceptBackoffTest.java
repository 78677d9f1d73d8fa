package dev.asyncio.core;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Accepting when file descriptors run out and there is no spare descriptor to refuse with (turned off here; with
 * one, see {@link AcceptOutOfDescriptorsTest}): a child JVM with {@code ulimit -n 200} is sent more connections than it
 * can hold. Its accepts fail, the handle backs off (exponentially, not every 100 ms), reports it in its statistics,
 * logs one line for the episode, and accepts everyone waiting once descriptors are free again. (This test found that
 * the JDK cannot close any channel if its first close ever happens out of descriptors: see
 * {@code EventLoop.warmUpChannelClosing}.)
 */
class AcceptBackoffTest {

    private static Map<String, String> stats(ChildJvm child) throws Exception {
        child.send("stats");
        String line = child.nextLine();
        Map<String, String> m = new java.util.HashMap<>();
        for (String kv : line.substring("stats ".length()).split(" ")) {
            String[] p = kv.split("=");
            m.put(p[0], p[1]);
        }
        return m;
    }

    @Test
    void outOfDescriptorsTheHandleBacksOffLogsOnceAndRecovers() throws Exception {
        Assumptions.assumeTrue(ChildJvm.onPath("bash"), "bash is needed to lower the child's descriptor limit");
        List<String> java = ChildJvm.javaCommand(AcceptBackoffChild.class,
                List.of("-Xmx64m", "-Dasyncio.accept.descriptor-reserve=false"));
        String command = "ulimit -n 200 && exec " + String.join(" ", java.stream().map(a -> "'" + a + "'").toList());
        List<Socket> clients = new ArrayList<>();
        try (ChildJvm child = ChildJvm.start(List.of("bash", "-c", command))) {
            int port = Integer.parseInt(child.nextLine().substring("port ".length()));
            for (int i = 0; i < 300; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
                clients.add(s);
            }
            await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> stats(child).get("backoff").equals("true"));
            Map<String, String> during = stats(child);
            assertThat(Long.parseLong(during.get("failures"))).isPositive();
            assertThat(Integer.parseInt(during.get("active"))).isLessThan(300);
            assertThat(during.get("alive")).isEqualTo("true");

            for (Socket s : clients) {
                s.close();
            }
            await().atMost(30, TimeUnit.SECONDS).pollInterval(200, TimeUnit.MILLISECONDS)
                    .until(() -> stats(child).get("accepted").equals("300"));
            Map<String, String> after = stats(child);
            assertThat(after.get("backoff")).isEqualTo("false");
            // Backing off from 100 ms, doubling: a few failures per episode, not one every 100 ms.
            assertThat(Long.parseLong(after.get("failures"))).isLessThan(20);
            String log = child.stderr();
            assertThat(log.split("accept failed", -1)).as("one line for the episode:%n%s", log).hasSize(2);
            assertThat(log).contains("accepting again after");
        } finally {
            for (Socket s : clients) {
                s.close();
            }
        }
    }
}
