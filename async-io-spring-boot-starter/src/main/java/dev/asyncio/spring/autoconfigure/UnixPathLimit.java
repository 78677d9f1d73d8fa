package dev.asyncio.spring.autoconfigure;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How long a Unix domain socket path may be: {@code sun_path} of {@code struct sockaddr_un} holds 108 bytes on
 * Linux and 104 on the BSDs (macOS), the terminating NUL included. Checked at start-up so that an over-long
 * {@code unix-socket-path} fails naming the property instead of at bind. Constants; any thread.
 */
final class UnixPathLimit {

    private static final boolean LINUX = System.getProperty("os.name", "").toLowerCase(Locale.ROOT)
        .contains("linux");

    /** The usable bytes of {@code sun_path} here. */
    static final int MAX_BYTES = LINUX ? 107 : 103;

    /** For the message. */
    static final String WHY = LINUX ? "Linux: 108 bytes with the terminating NUL"
            : "BSD and macOS: 104 bytes with the terminating NUL";

    private UnixPathLimit() {
    }

    /**
     * @param path a socket path, as given (relative paths are not resolved: the system takes them as they are)
     * @return its length in the bytes the JDK hands to the system
     */
    static int bytes(Path path) {
        return path.toString().getBytes(nativeCharset()).length;
    }

    private static Charset nativeCharset() {
        // The JDK encodes file names in sun.jnu.encoding; UTF-8 where it is not known.
        try {
            String name = System.getProperty("sun.jnu.encoding");
            return (name != null) ? Charset.forName(name) : StandardCharsets.UTF_8;
        }
        catch (RuntimeException ex) {
            return StandardCharsets.UTF_8;
        }
    }
}
