package dev.asyncio.core;

import java.util.Objects;

/**
 * The transport a collection's loop runs on and why it was chosen, as the start-up log line and the actuator
 * endpoint show it. Beyond LispWorks.
 *
 * @param name   {@code "nio"} for the JDK's selector, or the native transport's name ({@code "epoll"})
 * @param reason why: the mode asked for, and for a fall-back to NIO what the native transport lacked
 */
public record TransportChoice(String name, String reason) {

    /**
     * @param name the transport's name
     * @param reason why it was chosen
     */
    public TransportChoice {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(reason, "reason");
    }

    /** @return whether this is a native transport rather than the JDK's NIO selector */
    public boolean isNative() {
        return !"nio".equals(name);
    }

    @Override
    public String toString() {
        return name + " (" + reason + ")";
    }
}
