package dev.asyncio.sample.frames;

import java.nio.ByteBuffer;

import dev.asyncio.spring.FrameHandler;
import dev.asyncio.spring.FramedConnection;

/**
 * The {@code frames} handle's frame handler: answers each frame with the same frame. The framing (4-byte big-endian
 * length prefix, at most 1 MiB of payload) is configured in {@code application.yml} under
 * {@code async-io.handles.frames.framing}; the starter reads the frames and writes the header of each reply.
 *
 * <p>Runs on the loop thread of the connection's collection. A frame over the limit, or a corrupt header, closes the
 * connection ({@code on-too-long: close}); a clean EOF between frames closes it after the last reply is written.
 */
public class FrameEcho implements FrameHandler {

    @Override
    public void frame(FramedConnection connection, ByteBuffer frame) {
        // reply copies the frame: the view is only valid during this call.
        connection.reply(frame);
    }
}
