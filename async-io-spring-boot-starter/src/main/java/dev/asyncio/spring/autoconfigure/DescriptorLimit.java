package dev.asyncio.spring.autoconfigure;

import java.lang.management.ManagementFactory;
import java.lang.management.OperatingSystemMXBean;
import java.util.OptionalLong;

/**
 * Where the start-up check of {@code async-io.descriptors} learns the process's file descriptor limit. The default,
 * {@link #ofProcess()}, asks the JVM ({@code UnixOperatingSystemMXBean#getMaxFileDescriptorCount}, the soft
 * {@code RLIMIT_NOFILE}, which HotSpot raises to the hard limit at start); declare a bean of this type to use another
 * source (a test, a platform that knows better).
 */
@FunctionalInterface
public interface DescriptorLimit {

    /**
     * @return the most file descriptors the process may have open, or empty where the platform does not say
     * (Windows, a JVM without {@code jdk.management}): the check is then skipped
     */
    OptionalLong maxFileDescriptors();

    /** @return the limit as the JVM reports it */
    static DescriptorLimit ofProcess() {
        return () -> {
            try {
                OperatingSystemMXBean os = ManagementFactory.getOperatingSystemMXBean();
                if (os instanceof com.sun.management.UnixOperatingSystemMXBean unix) {
                    long max = unix.getMaxFileDescriptorCount();
                    return (max > 0) ? OptionalLong.of(max) : OptionalLong.empty();
                }
            }
            catch (LinkageError | RuntimeException unavailable) {
                // No jdk.management module, or a platform bean that cannot answer: no limit known.
            }
            return OptionalLong.empty();
        };
    }
}
