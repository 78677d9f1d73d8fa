package dev.asyncio.core.internal.loop;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The small pools where work that must not run on a loop thread goes (host name lookups, TLS engine tasks): daemon
 * threads, so they never keep the JVM alive, that end after 30 s idle.
 */
public final class DaemonPool {

    private DaemonPool() {
    }

    /**
     * @param name thread name prefix; threads are {@code name-1}, {@code name-2}, ...
     * @param threads at most this many threads
     * @return the pool
     */
    public static ExecutorService create(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }
}
