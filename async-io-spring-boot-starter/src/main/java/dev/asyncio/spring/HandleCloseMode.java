package dev.asyncio.spring;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * What happens to the live connections of an accepting handle that is closed through
 * {@link ManagedAcceptingHandle#close(HandleCloseMode, java.time.Duration)} (and the actuator endpoint). Closing the
 * handle itself always stops accepting and frees the port.
 */
public enum HandleCloseMode {

    /** Leave the connections alone: they keep running until they close by themselves. */
    KEEP,

    /** Close each connection gracefully: stop reading, write what it accepted for writing, then close. */
    GRACEFUL,

    /** Abort each connection at once; queued output is dropped. */
    ABORT;

    /**
     * Parses a mode case-insensitively ({@code keep}, {@code graceful}, {@code abort}).
     *
     * @param value the text; {@code null} or blank means {@link #KEEP}
     * @return the mode
     * @throws IllegalArgumentException for any other text, naming the allowed values
     */
    public static HandleCloseMode parse(@Nullable String value) {
        if (value == null || value.isBlank()) {
            return KEEP;
        }
        try {
            return valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "connections must be one of keep, graceful, abort; got '" + value + "'");
        }
    }
}
