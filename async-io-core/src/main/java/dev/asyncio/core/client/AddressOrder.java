package dev.asyncio.core.client;

/**
 * The order in which a client tries its addresses ({@link ClientOptions#addresses()}).
 *
 * <p>Spring's {@code spring.rabbitmq.address-shuffle-mode}; Spring Integration's
 * {@code FailoverClientConnectionFactory} always goes in order.
 */
public enum AddressOrder {
    /**
     * First to last; every new round of attempts (after a drop, or after each address failed once) starts again
     * at the first, so a primary that comes back is preferred.
     */
    IN_ORDER,
    /** A fresh random order for each round of attempts, spreading many clients over the addresses. */
    SHUFFLE
}
