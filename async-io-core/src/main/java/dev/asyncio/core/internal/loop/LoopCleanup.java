package dev.asyncio.core.internal.loop;

import dev.asyncio.core.internal.Loggers;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.Queue;

/**
 * Releasing what a loop holds, best effort and never throwing into the loop: queued work discarded at close,
 * failed states and handles closed, the keys of a spinning selector moved to a fresh one. Loop thread, except
 * {@link #warmUpChannelClosing()} (once, when the class loads) and {@link #discardAll} (any thread).
 */
final class LoopCleanup {

    private LoopCleanup() {
    }

    /**
     * The JDK initialises the classes that close NIO channels ({@code sun.nio.ch.FileDispatcherImpl}) on the first
     * close, and that initialisation needs a file descriptor: if the first close happens while the process is out of
     * descriptors (a connection flood), it fails for good and no socket can ever be closed again, so the
     * descriptors are never given back. Closing a pipe and a socket once, up front, makes that impossible.
     */
    static void warmUpChannelClosing() {
        try {
            java.nio.channels.Pipe pipe = java.nio.channels.Pipe.open();
            pipe.sink().close();
            pipe.source().close();
            java.nio.channels.SocketChannel.open().close();
            // Likewise the logging backend reads its configuration file on first use.
            Loggers.LOOP.isLoggable(Level.INFO);
        } catch (IOException | RuntimeException e) {
            Loggers.LOOP.log(Level.WARNING, "Cannot warm up channel closing", e);
        }
    }

    /** @param r closed; a failure is swallowed, the loop must go on */
    static void closeQuietly(Ready r) {
        try {
            r.closeSilently();
        } catch (Throwable ignored) {
            // Closing is best effort; the loop must go on.
        }
    }

    /** @param s closed; a failure is swallowed, the loop must go on */
    static void closeQuietly(Selectable s) {
        try {
            s.closeSilently();
        } catch (Throwable ignored) {
            // Closing is best effort; the loop must go on.
        }
    }

    /** @param queue emptied; what it held that holds resources ({@link Discardable}) releases them */
    static void discardAll(Queue<Runnable> queue) {
        for (Runnable t = queue.poll(); t != null; t = queue.poll()) {
            if (t instanceof Discardable d) {
                try {
                    d.discard();
                } catch (RuntimeException e) {
                    Loggers.LOOP.log(Level.DEBUG, "Failure discarding queued work", e);
                }
            }
        }
    }

    /**
     * Moves every valid key of {@code old} to a new selector (the JDK's epoll spin workaround); an attachment whose
     * channel cannot move is closed.
     *
     * @param old the spinning selector, left open: close it once the loop uses the new one
     * @param description the loop's name, for the log
     * @param transport opens the new selector (of the loop's transport)
     * @return the new selector, or {@code null} if none could be opened (the loop keeps the old one)
     */
    static Selector moveKeys(Selector old, String description, LoopSelectors transport) {
        Selector fresh;
        try {
            fresh = transport.open();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.ERROR, () -> "Cannot open a new selector for " + description, e);
            return null;
        }
        for (SelectionKey key : old.keys()) {
            if (!key.isValid()) {
                continue;
            }
            Selectable attachment = (Selectable) key.attachment();
            try {
                int ops = key.interestOps();
                key.cancel();
                attachment.rekey(key.channel().register(fresh, ops, attachment));
            } catch (IOException | RuntimeException e) {
                Loggers.LOOP.log(Level.WARNING, () -> "Cannot move " + attachment + " to the new selector", e);
                attachment.closeSilently();
            }
        }
        return fresh;
    }

    /** @param old a selector the loop no longer uses */
    static void close(Selector old) {
        try {
            old.close();
        } catch (IOException e) {
            Loggers.LOOP.log(Level.DEBUG, "Failure closing the old selector", e);
        }
    }
}
