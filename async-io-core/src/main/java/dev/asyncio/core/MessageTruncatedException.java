package dev.asyncio.core;

import java.io.IOException;

/**
 * The read status cause when a datagram did not fit the range given to {@link AsyncIoState#receiveMessage}: the
 * callback gets the first bytes that fit, the read status is {@link IoStatus#ERROR}, and this exception says how
 * long the datagram was. The rest of the datagram is lost (as with {@code recvfrom} and {@code MSG_TRUNC}).
 */
public final class MessageTruncatedException extends IOException {
    private static final long serialVersionUID = 1L;

    private final int datagramLength;
    private final int rangeLength;

    /**
     * @param datagramLength the datagram's length
     * @param rangeLength the length of the range it was received into
     */
    public MessageTruncatedException(int datagramLength, int rangeLength) {
        super("A datagram of " + datagramLength + " bytes was truncated to the " + rangeLength
                + " bytes of the receive range");
        this.datagramLength = datagramLength;
        this.rangeLength = rangeLength;
    }

    /** @return the datagram's full length */
    public int datagramLength() {
        return datagramLength;
    }

    /** @return the bytes that were kept */
    public int rangeLength() {
        return rangeLength;
    }
}
