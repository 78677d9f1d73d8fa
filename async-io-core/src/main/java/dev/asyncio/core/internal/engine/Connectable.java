package dev.asyncio.core.internal.engine;

/** A connect under way on a state: told when the socket is connectable. Loop thread. */
interface Connectable {
    /** {@code OP_CONNECT} fired: finish the connect. */
    void connectable();

    /** The state closed before the connect finished: cancel its timeout. */
    void cancel();
}
