package dev.asyncio.core.internal.engine;

/**
 * The life of a state's socket. Transitions: {@code CONNECTING -> OPEN} when a connect completes, and any state
 * {@code -> CLOSED}, once. A graceful close is a phase of its own ({@link CloseSequence.Phase}) on an open socket.
 */
enum Lifecycle {
    /** A non-blocking connect is under way: only {@code OP_CONNECT} is selected; writes wait. */
    CONNECTING,
    /** Connected (or wrapped, or accepted): operations run. */
    OPEN,
    /** Closed: no I/O, no callbacks. */
    CLOSED;

    /**
     * @param next the wanted state
     * @return whether this state may move to {@code next}
     */
    public boolean canMoveTo(Lifecycle next) {
        return switch (this) {
            case CONNECTING -> next == OPEN || next == CLOSED;
            case OPEN -> next == CLOSED;
            case CLOSED -> false;
        };
    }
}
