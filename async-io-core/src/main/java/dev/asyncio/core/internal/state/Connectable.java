package dev.asyncio.core.internal.state;

/** A connect under way on a state: told when the socket is connectable. Loop thread. */
public interface Connectable {
    /** {@code OP_CONNECT} fired: finish the connect. */
    void connectable();

    /** The state closed before the connect finished: cancel its timeout. */
    void cancel();
}
