package dev.asyncio.nativeio.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.channels.IllegalSelectorException;
import java.nio.channels.SelectableChannel;

/**
 * The two things the native selector needs from the JDK's NIO channels, reachable only through
 * {@code sun.nio.ch.SelChImpl}: a channel's file descriptor, and {@code kill()}, which closes the descriptor of a
 * channel closed while it was registered (NIO defers that close until the channel has left every selector, so a
 * selector that never calls it leaks the descriptor). Needs {@code --add-opens java.base/sun.nio.ch=ALL-UNNAMED}
 * (or {@code --add-exports}); {@link #problem()} says when it is missing. Any thread.
 */
final class NioInternals {

    private static final String PACKAGE = "sun.nio.ch";
    private static final MethodHandle FD_VAL;
    private static final MethodHandle KILL;
    private static final Class<?> SEL_CH_IMPL;
    private static final String PROBLEM;

    static {
        MethodHandle fd = null;
        MethodHandle kill = null;
        Class<?> type = null;
        String problem = null;
        try {
            if (!Object.class.getModule().isExported(PACKAGE, NioInternals.class.getModule())) {
                problem = "java.base does not open sun.nio.ch to async-io-native: start the JVM with --add-opens "
                        + "java.base/sun.nio.ch=ALL-UNNAMED (or put 'Add-Opens: java.base/sun.nio.ch' in the "
                        + "manifest of an executable jar)";
            } else {
                type = Class.forName(PACKAGE + ".SelChImpl");
                MethodHandles.Lookup lookup = MethodHandles.lookup();
                fd = lookup.unreflect(type.getMethod("getFDVal"))
                        .asType(MethodType.methodType(int.class, SelectableChannel.class));
                kill = lookup.unreflect(type.getMethod("kill"))
                        .asType(MethodType.methodType(void.class, SelectableChannel.class));
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            problem = "cannot reach sun.nio.ch.SelChImpl: " + e;
        }
        FD_VAL = fd;
        KILL = kill;
        SEL_CH_IMPL = type;
        PROBLEM = problem;
    }

    private NioInternals() {
    }

    /** @return why channels' descriptors cannot be reached, or {@code null} when they can */
    static String problem() {
        return PROBLEM;
    }

    /**
     * @param channel a JDK socket, server socket, datagram or pipe channel
     * @return its file descriptor
     * @throws IllegalSelectorException for a channel of another provider
     */
    static int fd(SelectableChannel channel) {
        if (SEL_CH_IMPL == null || !SEL_CH_IMPL.isInstance(channel)) {
            throw new IllegalSelectorException();
        }
        try {
            return (int) FD_VAL.invokeExact(channel);
        } catch (Throwable t) {
            throw new IllegalStateException("Cannot read the descriptor of " + channel, t);
        }
    }

    /**
     * Finishes the close of a channel that was closed while registered: closes its descriptor.
     *
     * @param channel closed and no longer registered anywhere
     * @throws IOException if closing fails
     */
    static void kill(SelectableChannel channel) throws IOException {
        try {
            KILL.invokeExact(channel);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IOException(t);
        }
    }
}
