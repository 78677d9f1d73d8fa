package dev.asyncio.core;

import java.io.IOException;

/**
 * The read status cause when a read-with-checking callback kept more undiscarded input than the state's
 * {@link StateOptions#maxBufferedInput() limit}: a peer sent more than the application would consume. The operation
 * ends with {@link IoStatus#ERROR}; closing the state is the usual answer.
 */
public final class InputLimitExceededException extends IOException {
    private static final long serialVersionUID = 1L;

    /**
     * @param state the state's description
     * @param limit the limit in bytes
     */
    public InputLimitExceededException(String state, int limit) {
        super(state + " holds " + limit + " bytes of undiscarded input, its maxBufferedInput limit");
    }
}
