package dev.asyncio.nativeio.internal;

import dev.asyncio.core.internal.loop.DirectSocketIo;
import dev.asyncio.core.internal.loop.PollerProvider;

import java.io.IOException;
import java.nio.channels.Selector;
import java.nio.channels.spi.SelectorProvider;
import java.util.Locale;

/**
 * The native transport as core's loop finds it (through {@link java.util.ServiceLoader}): epoll selectors on
 * Linux, through the foreign-function API, for the JDK's own channels. Any thread.
 */
public final class EpollPollerProvider implements PollerProvider {

    private static volatile String probed;
    private static volatile boolean probeDone;

    /** Made by {@link java.util.ServiceLoader}. */
    public EpollPollerProvider() {
    }

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public String unavailableReason(boolean forced) {
        String os = System.getProperty("os.name", "");
        if (!os.toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "epoll needs Linux (this is " + os + ")";
        }
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        if (!(arch.equals("amd64") || arch.equals("x86_64") || arch.equals("aarch64"))) {
            return "the epoll event layout is known for x86-64 and aarch64 only (this is " + arch + ")";
        }
        if (!forced && !EpollPollerProvider.class.getModule().isNativeAccessEnabled()) {
            return "native access is not enabled: start the JVM with --enable-native-access=ALL-UNNAMED (or put "
                    + "'Enable-Native-Access: ALL-UNNAMED' in the manifest of an executable jar)";
        }
        String nio = NioInternals.problem();
        if (nio != null) {
            return nio;
        }
        return probe();
    }

    /** Opens and closes one selector, once per process: the system calls link and the kernel allows epoll. */
    private static String probe() {
        if (!probeDone) {
            synchronized (EpollPollerProvider.class) {
                if (!probeDone) {
                    try {
                        new EpollSelector(SelectorProvider.provider()).close();
                        probed = null;
                    } catch (IOException | RuntimeException | LinkageError e) {
                        probed = "epoll could not be used: " + e;
                    }
                    probeDone = true;
                }
            }
        }
        return probed;
    }

    /** {@code -Dasyncio.native.io=false} leaves reads and writes to the NIO channels (the selector stays epoll). */
    @Override
    public DirectSocketIo socketIo() {
        return Boolean.parseBoolean(System.getProperty("asyncio.native.io", "true")) ? new NativeSocketIo() : null;
    }

    @Override
    public Selector openSelector() throws IOException {
        // The JDK's provider stands as the selector's provider: channels are the JDK's own, and nothing compares.
        return new EpollSelector(SelectorProvider.provider());
    }
}
