package dev.asyncio.core;

import java.util.Arrays;

/**
 * One recorded callback invocation: its arguments plus what the state looked like and which thread ran it.
 *
 * @param state the state argument
 * @param buffer the buffer argument, by reference (null for callbacks without one)
 * @param count the count argument
 * @param bytes a copy of {@code buffer[0, count)} taken during the call (the buffer of read-with-checking is only
 *              valid inside the callback)
 * @param failure the failure argument of connect and shutdown callbacks
 * @param thread the name of the thread that ran the callback
 * @param readStatus the state's read status during the call
 * @param writeStatus the state's write status during the call
 */
record Call(AsyncIoState state, byte[] buffer, int count, byte[] bytes, Throwable failure, String thread,
            IoStatus readStatus, IoStatus writeStatus) {

    static Call of(AsyncIoState state, byte[] buffer, int count) {
        byte[] copy = buffer == null ? null : Arrays.copyOfRange(buffer, 0, Math.max(0, Math.min(count, buffer.length)));
        return new Call(state, buffer, count, copy, null, Thread.currentThread().getName(),
                state == null ? null : state.readStatus(), state == null ? null : state.writeStatus());
    }

    static Call of(AsyncIoState state, Throwable failure) {
        return new Call(state, null, 0, null, failure, Thread.currentThread().getName(),
                state == null ? null : state.readStatus(), state == null ? null : state.writeStatus());
    }

    String text() {
        return new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1);
    }
}
