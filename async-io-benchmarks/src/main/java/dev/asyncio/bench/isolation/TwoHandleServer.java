package dev.asyncio.bench.isolation;

import dev.asyncio.bench.server.AsyncIoEcho;
import dev.asyncio.bench.server.EchoBufferPool;
import dev.asyncio.core.AcceptOptions;
import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.WaitStateCollection;

import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Two echo handles in one process, for the isolation measurement: {@code shared} puts both on one collection (the
 * old default), {@code groups} gives each handle a group of {@code loops} collections of its own (the starter's
 * default: its own collection plus workers, sized to the cores). Prints {@code ports QUIET STORM} and runs until
 * killed; a load generator then measures the quiet handle's round trips while the other is flooded.
 *
 * <pre>java -cp async-io-benchmarks.jar dev.asyncio.bench.isolation.TwoHandleServer shared|groups [loops]</pre>
 */
public final class TwoHandleServer {

    private TwoHandleServer() {
    }

    /**
     * @param args the mode and, for {@code groups}, the loops per handle (default: the cores)
     * @throws Exception if binding fails
     */
    public static void main(String[] args) throws Exception {
        String mode = args[0];
        int loops = args.length > 1 ? Integer.parseInt(args[1]) : Runtime.getRuntime().availableProcessors();
        Map<WaitStateCollection, EchoBufferPool> pools = new IdentityHashMap<>();
        int quiet;
        int storm;
        if (mode.equals("shared")) {
            WaitStateCollection one = loop("shared", pools);
            quiet = handle(one, List.of(), pools).localPort();
            storm = handle(one, List.of(), pools).localPort();
        } else {
            quiet = handle(group("quiet", loops, pools), pools).localPort();
            storm = handle(group("storm", loops, pools), pools).localPort();
        }
        System.out.println("ports " + quiet + " " + storm);
        Thread.sleep(Duration.ofDays(1).toMillis());
    }

    private static WaitStateCollection loop(String name, Map<WaitStateCollection, EchoBufferPool> pools) {
        WaitStateCollection c = WaitStateCollection.builder(name).daemon(true).createAndRun();
        pools.put(c, new EchoBufferPool());
        return c;
    }

    private static List<WaitStateCollection> group(String name, int loops,
                                                   Map<WaitStateCollection, EchoBufferPool> pools) {
        List<WaitStateCollection> group = new ArrayList<>();
        for (int i = 0; i < loops; i++) {
            group.add(loop(i == 0 ? name : name + "-" + (i + 1), pools));
        }
        return group;
    }

    private static AcceptingHandle handle(List<WaitStateCollection> group,
                                          Map<WaitStateCollection, EchoBufferPool> pools) {
        return handle(group.get(0), group.size() > 1 ? group : List.of(), pools);
    }

    private static AcceptingHandle handle(WaitStateCollection home, List<WaitStateCollection> spread,
                                          Map<WaitStateCollection, EchoBufferPool> pools) {
        AcceptOptions.Builder options = AcceptOptions.builder().address("127.0.0.1").backlog(1024).nodelay(true)
                .queueOutput(true);
        if (!spread.isEmpty()) {
            options.spreadOver(spread);
        }
        return home.acceptTcpConnections(0, (h, s) -> AsyncIoEcho.start(s, pools.get(s.collection())),
                options.build());
    }
}
