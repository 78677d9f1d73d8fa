package dev.asyncio.core.internal.write;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.BuffersCallback;
import dev.asyncio.core.ByteBufferCallback;
import dev.asyncio.core.StateCallback;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;

/**
 * One accepted write (or datagram send): the caller's range, how far it got, and whom to tell. A plain mutable
 * node, owned by the loop thread once queued and recycled through a {@link WriteOpPool}; its fields are public
 * because the stream and datagram flushes in other packages walk it on the hot path.
 */
public final class WriteOp {
    /** The caller's bytes; not copied. */
    public byte[] buf;
    /** First index of the range. */
    public int start;
    /** Next index to write. */
    public int pos;
    /** Index after the last. */
    public int end;
    /** {@code (state, buffer, count)} once written, or {@code null}. */
    public BufferCallback callback;
    /** Replaces {@link #callback} on an error, or {@code null}. */
    public BufferCallback errorCallback;
    /** {@code (state)} for a datagram send, or {@code null}. */
    public StateCallback sendCallback;
    /** Where a datagram goes on an unconnected UDP socket, else {@code null}. */
    public InetSocketAddress target;
    WriteOp next;

    // ---- the ByteBuffer and file variants (issue 11); a byte[] write leaves them null.

    /**
     * The caller's single buffer: for a heap buffer {@link #buf} is its array and the range its remaining bytes (it
     * is gathered like a {@code byte[]}); a direct one is written {@link #direct straight}.
     */
    public ByteBuffer one;
    /** The caller's buffers of a gathering write, else {@code null}. */
    public ByteBuffer[] many;
    /** First buffer of {@link #many} with bytes left. */
    public int manyIndex;
    /** The file of a {@code sendFile}, else {@code null}. */
    public FileChannel file;
    /** Where in {@link #file} the next byte comes from. */
    public long filePosition;
    /**
     * A file send longer than {@link #FILE_WINDOW} goes out one window at a time ({@link #pos} and {@link #end} are
     * ints): the bytes after the current window.
     */
    public long fileBeyond;
    /** Bytes of the file sent in the windows before the current one. */
    public long fileSent;
    /** The callback of a single-buffer write, or {@code null}. */
    public ByteBufferCallback bufferCallback;
    /** The callback of a gathering write, or {@code null}. */
    public BuffersCallback buffersCallback;
    /** The callback of a {@code sendFile}, or {@code null}. */
    public dev.asyncio.core.FileSendCallback fileCallback;
    /**
     * Written by the sink from the caller's buffers (or file) rather than gathered through the loop's direct buffer:
     * direct buffers, read-only heap buffers, gathering writes and files. {@link #pos} and {@link #end} then count
     * bytes from 0, and the buffers' positions are the truth.
     */
    public boolean direct;

    /** @return whether the op is a {@code byte[]} write (or datagram send) with its own callbacks */
    public boolean isBytes() {
        return one == null && many == null && file == null;
    }

    /**
     * Writes a {@link #direct} op's bytes straight to {@code sink}.
     *
     * @param sink the socket or transport
     * @param scratch the loop's direct buffer, through which a file goes when the sink cannot send it in the kernel
     * @return bytes written
     * @throws IOException if the socket or the file failed, or the file ended before the count
     */
    int writeDirect(OutboundQueue.ByteSink sink, ByteBuffer scratch) throws IOException {
        if (end == pos) {
            return 0; // an empty send is done: no file call, so an empty file is no early end
        }
        long n;
        if (file != null) {
            n = sendFilePart(sink, scratch);
            if (n == 0 && filePosition >= file.size()) {
                throw new java.io.EOFException("the file ended at " + filePosition + " with " + unwritten()
                        + " bytes of the sendFile count left");
            }
            filePosition += n;
        } else if (many != null) {
            n = sink.write(many, manyIndex, many.length - manyIndex);
            while (manyIndex < many.length && !many[manyIndex].hasRemaining()) {
                manyIndex++;
            }
        } else {
            n = sink.write(one);
        }
        return (int) n;
    }

    private long sendFilePart(OutboundQueue.ByteSink sink, ByteBuffer scratch) throws IOException {
        try {
            return sink.transfersFiles() ? sink.transferFrom(file, filePosition, end - pos)
                    : readThrough(sink, scratch);
        } catch (ClosedChannelException e) {
            if (!file.isOpen()) {
                // The JDK's exception has no message and does not say which channel closed.
                throw new IOException("the file of a sendFile was closed before the send completed", e);
            }
            throw e;
        } catch (NonReadableChannelException e) {
            // Checked at the call; kept for a channel whose mode changed under us, so it fails this write only.
            throw new IOException("the file of a sendFile is not open for reading", e);
        }
    }

    /** TLS must see the plaintext: a chunk of the file goes through the loop's buffer, what TLS took counts. */
    private long readThrough(OutboundQueue.ByteSink sink, ByteBuffer scratch) throws IOException {
        scratch.clear();
        scratch.limit((int) Math.min(scratch.capacity(), end - pos));
        if (file.read(scratch, filePosition) <= 0) {
            return 0;
        }
        scratch.flip();
        return sink.write(scratch);
    }

    /**
     * @param buf the bytes
     * @param start first index
     * @param end index after the last
     * @param callback told once written
     * @param errorCallback told on an error instead, or {@code null}
     */
    public WriteOp(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
        set(buf, start, end, callback, errorCallback);
    }

    void set(byte[] buf, int start, int end, BufferCallback callback, BufferCallback errorCallback) {
        this.buf = buf;
        this.start = start;
        this.pos = start;
        this.end = end;
        this.callback = callback;
        this.errorCallback = errorCallback;
    }

    /** @return bytes not yet written */
    public int remaining() {
        return end - pos;
    }

    /** The most bytes of a file send one window covers. */
    public static final int FILE_WINDOW = 1 << 30;

    /**
     * Sets a file send's first window.
     *
     * @param count the bytes of the whole send
     */
    public void firstFileWindow(long count) {
        start = 0;
        pos = 0;
        end = (int) Math.min(count, FILE_WINDOW);
        fileBeyond = count - end;
        fileSent = 0;
    }

    /** @return whether a file send had bytes after its current window, which is now the next one */
    public boolean nextFileWindow() {
        if (file == null || fileBeyond == 0) {
            return false;
        }
        fileSent += end - start;
        int n = (int) Math.min(fileBeyond, FILE_WINDOW);
        fileBeyond -= n;
        start = 0;
        pos = 0;
        end = n;
        return true;
    }

    /** @return bytes not yet written, the windows after a file send's current one included */
    public long unwritten() {
        return end - pos + fileBeyond;
    }

    /** @return bytes written so far, the earlier windows of a file send included */
    public long written() {
        return fileSent + pos - start;
    }

    void clear() {
        buf = null;
        callback = null;
        errorCallback = null;
        sendCallback = null;
        target = null;
        next = null;
        one = null;
        many = null;
        manyIndex = 0;
        file = null;
        bufferCallback = null;
        buffersCallback = null;
        fileCallback = null;
        fileBeyond = 0;
        fileSent = 0;
        direct = false;
    }
}
