package dev.asyncio.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

import dev.asyncio.core.AcceptingHandle;
import dev.asyncio.core.AsyncIoState;
import dev.asyncio.core.HandleStatistics;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.ProxyProtocolStatistics;
import dev.asyncio.core.StateSnapshot;
import org.jspecify.annotations.Nullable;

/**
 * The core handles one {@link ManagedAcceptingHandle} has had — a new one on every re-open — and what they add up
 * to: counters summed over all of them (so that meters never run backwards), and the live connections of all of them
 * (connections kept by an earlier close are still the handle's).
 *
 * <p>Thread-safe: every method may be called from any thread.
 */
final class HandleIncarnations {

    private final Object lock = new Object();

    private volatile @Nullable AcceptingHandle current;

    /** The last incarnation's max-connections in effect, kept while the handle is closed. Guarded by the lock. */
    private int maxConnections;

    /** Earlier incarnations that still have live connections; guarded by {@link #lock}. */
    private final List<AcceptingHandle> previous = new ArrayList<>();

    /** Counters of incarnations whose connections are all gone; guarded by {@link #lock}. */
    private final Totals retired = new Totals();

    /** PROXY protocol outcomes of incarnations whose connections are all gone; guarded by {@link #lock}. */
    private final ProxyTotals retiredProxy = new ProxyTotals();

    HandleIncarnations(@Nullable AcceptingHandle first) {
        this.current = first;
    }

    @Nullable AcceptingHandle current() {
        return this.current;
    }

    /** Makes {@code opened} the current incarnation; the one before keeps counting while it has connections. */
    void replace(AcceptingHandle opened) {
        synchronized (this.lock) {
            AcceptingHandle before = this.current;
            if (before != null && before != opened) {
                this.previous.add(before);
            }
            this.current = opened;
        }
    }

    /** @return every incarnation, the current one last */
    List<AcceptingHandle> all() {
        synchronized (this.lock) {
            List<AcceptingHandle> all = new ArrayList<>(this.previous);
            AcceptingHandle handle = this.current;
            if (handle != null) {
                all.add(handle);
            }
            return all;
        }
    }

    int connectionCount() {
        int count = 0;
        for (AcceptingHandle handle : all()) {
            count += handle.connectionCount();
        }
        return count;
    }

    List<StateSnapshot> connections(int limit) {
        List<StateSnapshot> result = new ArrayList<>();
        for (AcceptingHandle handle : all()) {
            if (result.size() >= limit) {
                break;
            }
            result.addAll(handle.connections(limit - result.size()));
        }
        return result;
    }

    List<AsyncIoState> states() {
        List<AsyncIoState> result = new ArrayList<>();
        for (AcceptingHandle handle : all()) {
            result.addAll(handle.states());
        }
        return result;
    }

    /**
     * Treats the live connections of every incarnation as {@code mode} says: an operator who closes with "abort" or
     * "graceful" means all of them, listener open or not.
     */
    void closeConnections(HandleCloseMode mode, Duration gracefulTimeout) {
        if (mode == HandleCloseMode.KEEP) {
            return;
        }
        for (AsyncIoState state : states()) {
            try {
                if (mode == HandleCloseMode.GRACEFUL) {
                    state.closeGracefully(gracefulTimeout, null);
                }
                else {
                    state.abortAndClose(false, null);
                }
            }
            catch (RuntimeException closedMeanwhile) {
                // The connection or its loop closed on its own: nothing left to do for it.
            }
        }
    }

    /** @return counters over every incarnation, under {@code name}, {@code open} and {@code localPort} */
    HandleStatistics statistics(String name, boolean open, int localPort) {
        synchronized (this.lock) {
            Totals totals = this.retired.copy();
            Iterator<AcceptingHandle> it = this.previous.iterator();
            while (it.hasNext()) {
                AcceptingHandle old = it.next();
                HandleStatistics s = old.statistics();
                if (s.active() == 0) {
                    // Nothing of this incarnation can change any more: fold it in and forget it.
                    this.retired.add(s);
                    this.retiredProxy.add(old.proxyStatistics());
                    it.remove();
                }
                totals.add(s);
            }
            AcceptingHandle handle = this.current;
            boolean paused = false;
            boolean backoff = false;
            if (handle != null) {
                HandleStatistics s = handle.statistics();
                totals.add(s);
                paused = s.paused();
                backoff = s.acceptBackoff();
                this.maxConnections = s.maxConnections();
            }
            return new HandleStatistics(name, open, localPort, totals.accepted, totals.active, totals.rejected,
                    paused, totals.bytesRead, totals.bytesWritten, totals.timeouts, totals.errors,
                    totals.callbackFailures, totals.acceptFailures, backoff, totals.memoryUsed, this.maxConnections,
                    totals.refusedMaxConnections, totals.refusedNoDescriptors);
        }
    }

    /**
     * @param mode the handle's mode, to report
     * @return the PROXY protocol outcomes over every incarnation
     */
    ProxyProtocolStatistics proxyStatistics(ProxyProtocol mode) {
        synchronized (this.lock) {
            ProxyTotals totals = new ProxyTotals();
            totals.add(this.retiredProxy);
            for (AcceptingHandle handle : this.previous) {
                totals.add(handle.proxyStatistics());
            }
            AcceptingHandle handle = this.current;
            if (handle != null) {
                totals.add(handle.proxyStatistics());
            }
            return new ProxyProtocolStatistics(mode, totals.accepted, totals.direct, totals.rejected,
                    totals.timeouts);
        }
    }

    private static final class ProxyTotals {

        long accepted;

        long direct;

        long rejected;

        long timeouts;

        void add(ProxyProtocolStatistics s) {
            this.accepted += s.accepted();
            this.direct += s.direct();
            this.rejected += s.rejected();
            this.timeouts += s.timeouts();
        }

        void add(ProxyTotals t) {
            this.accepted += t.accepted;
            this.direct += t.direct;
            this.rejected += t.rejected;
            this.timeouts += t.timeouts;
        }
    }

    private static final class Totals {

        long accepted;

        int active;

        long rejected;

        long bytesRead;

        long bytesWritten;

        long timeouts;

        long errors;

        long callbackFailures;

        long acceptFailures;

        long refusedMaxConnections;

        long refusedNoDescriptors;

        /** Bytes held now: a retired incarnation holds none, since all its connections are gone. */
        long memoryUsed;

        void add(HandleStatistics s) {
            this.accepted += s.accepted();
            this.active += s.active();
            this.rejected += s.rejected();
            this.bytesRead += s.bytesRead();
            this.bytesWritten += s.bytesWritten();
            this.timeouts += s.timeouts();
            this.errors += s.errors();
            this.callbackFailures += s.callbackFailures();
            this.acceptFailures += s.acceptFailures();
            this.refusedMaxConnections += s.refusedMaxConnections();
            this.refusedNoDescriptors += s.refusedNoDescriptors();
            this.memoryUsed += s.memoryUsed();
        }

        Totals copy() {
            Totals t = new Totals();
            t.add(new HandleStatistics("", false, 0, this.accepted, this.active, this.rejected, false,
                    this.bytesRead, this.bytesWritten, this.timeouts, this.errors, this.callbackFailures,
                    this.acceptFailures, false, 0, 0, this.refusedMaxConnections, this.refusedNoDescriptors));
            return t;
        }
    }
}
