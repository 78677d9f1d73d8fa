package dev.asyncio.core.internal.engine;

import dev.asyncio.core.BufferCallback;
import dev.asyncio.core.IoStatus;
import dev.asyncio.core.ProxyInfo;
import dev.asyncio.core.ProxyProtocol;
import dev.asyncio.core.internal.Loggers;
import dev.asyncio.core.internal.codec.ProxyHeader;
import dev.asyncio.core.internal.codec.ProxyHeaderParser;
import dev.asyncio.core.internal.net.SocketAddresses;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.ProtocolException;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Reads the PROXY protocol header of a newly accepted connection, before TLS and before its connection function:
 * the one read operation of the state until the header is decided. Reads no further than a header can reach (a v1
 * line's 107 bytes, or a v2 header's announced length), so it holds at most one header, charged to the state's
 * memory budget; bytes after the header that came in the same read go to the state's input buffer, where the
 * application's first read (or the TLS engine) finds them. Then it records the header on the state, ends, and
 * hands the state on. Made once per connection of a proxy-protocol handle and dropped once decided; loop thread.
 */
public final class ProxyHeaderRead implements ReadOperation {

    /** A v2 header's fixed part: signature, version and command, family, length. */
    private static final int V2_FIXED = 16;
    /** Holds a v1 line and a v2 header with IPv6 addresses and a few TLVs without growing. */
    private static final int FIRST_CAPACITY = 128;
    private static final int V2_MAX = V2_FIXED + 65535;

    private final StateEngine state;
    private final ReadSide side;
    private final boolean required;
    private final ProxyHeaderParser parser;
    private final Duration timeout;
    private final ProxyCounters counters;
    private final Consumer<StateEngine> then;
    private final StateTimer timer;
    private byte[] held = new byte[FIRST_CAPACITY];
    private int length;
    private long charged;
    private boolean done;

    private ProxyHeaderRead(StateEngine state, ProxyProtocol mode, Duration timeout, ProxyCounters counters,
                            Consumer<StateEngine> then) {
        this.state = state;
        this.side = state.read();
        this.required = mode == ProxyProtocol.ON;
        this.parser = new ProxyHeaderParser(required, V2_MAX);
        this.timeout = timeout;
        this.counters = counters;
        this.then = then;
        this.timer = new StateTimer(state) {
            @Override
            protected void fire(long now) {
                timedOut();
            }
        };
        charge(held.length);
    }

    /**
     * Starts reading the header of a new state, on its loop thread; {@code then} runs on that thread once the header
     * is read (or, with {@link ProxyProtocol#AUTO}, once the connection is found direct). A connection refused for
     * its header is closed and counted, and {@code then} never runs.
     *
     * @param state the accepted state, before anyone else used it
     * @param mode {@link ProxyProtocol#ON} or {@link ProxyProtocol#AUTO}
     * @param timeout how long the header may take, from now
     * @param counters the handle's outcome counters
     * @param then hands the state on (TLS, the connection function)
     */
    public static void start(StateEngine state, ProxyProtocol mode, Duration timeout, ProxyCounters counters,
                             Consumer<StateEngine> then) {
        if (mode == ProxyProtocol.OFF) {
            throw new IllegalArgumentException("no PROXY protocol header to read with mode OFF");
        }
        ReadSide read = state.read();
        if (!read.tryClaim()) {
            // Nobody can have started a read on a state not yet handed over; if so, let it be as it is.
            then.accept(state);
            return;
        }
        ProxyHeaderRead op = new ProxyHeaderRead(state, mode, timeout, counters, then);
        read.start(op);
        if (state.isOpen() && !op.done) {
            state.loop().deadlines().schedule(op.timer, state.loop().now() + timeout.toNanos());
        }
    }

    @Override
    public boolean completesAtOnce() {
        return false;
    }

    @Override
    public void serveBuffered() {
        readable();
    }

    @Override
    public void readable() {
        ByteBuffer d = state.loop().buffers().readDirect();
        while (!done) {
            int want = Math.min(wanted() - length, d.capacity());
            if (want <= 0) {
                // Unreachable: the parser decides once a header's whole length is held; never spin.
                reject("the PROXY protocol header could not be decided");
                return;
            }
            int n;
            try {
                d.clear();
                d.limit(want);
                n = state.kind().transport("a PROXY protocol header", "a TCP state").read(d);
            } catch (IOException e) {
                fail(IoStatus.ERROR, e, "the connection failed before its PROXY protocol header was complete: " + e);
                return;
            }
            if (n < 0) {
                fail(IoStatus.EOF, null, "the connection closed before its PROXY protocol header was complete");
                return;
            }
            if (n == 0) {
                return;
            }
            state.counters().read(n);
            side.progressed();
            d.flip();
            ensure(length + n);
            d.get(held, length, n);
            length += n;
            decide();
        }
    }

    /** @return how many bytes the header can need at most, as far as its first bytes tell */
    private int wanted() {
        if (length >= V2_FIXED && held[0] == 0x0D) {
            int announced = V2_FIXED + (((held[14] & 0xff) << 8) | (held[15] & 0xff));
            return Math.max(announced, length + 1);
        }
        return ProxyHeaderParser.V1_MAX;
    }

    private void ensure(int needed) {
        if (needed > held.length) {
            int grown = Math.max(needed, Math.min(held.length * 2, V2_MAX));
            charge(grown - held.length);
            held = Arrays.copyOf(held, grown);
        }
    }

    private void charge(long bytes) {
        state.memory().charge(bytes);
        charged += bytes;
    }

    private void decide() {
        switch (parser.parse(ByteBuffer.wrap(held, 0, length), 0, length)) {
            case ProxyHeaderParser.DONE -> accept(parser.header());
            case ProxyHeaderParser.NOT_PROXY -> direct();
            case ProxyHeaderParser.INVALID -> reject(parser.error());
            default -> {
                // NEED_MORE: read on.
            }
        }
    }

    private void accept(ProxyHeader h) {
        Map<Integer, byte[]> tlvs = new LinkedHashMap<>();
        for (ProxyHeader.Tlv t : h.tlvs()) {
            tlvs.putIfAbsent(t.type(), t.value());
        }
        ProxyInfo info = new ProxyInfo(h.version(), h.local() ? ProxyInfo.Command.LOCAL : ProxyInfo.Command.PROXY,
                h.transport(), h.source(), h.destination(), SocketAddresses.peer(state.kind().channel()), tlvs);
        state.kind().proxied(info);
        counters.accepted();
        handOn(h.length());
    }

    private void direct() {
        counters.direct();
        handOn(0);
    }

    /** The decision is made: what followed the header becomes the state's input, and the state goes on. */
    private void handOn(int headerLength) {
        if (length > headerLength) {
            side.input().append(ByteBuffer.wrap(held, headerLength, length - headerLength), length - headerLength,
                    Math.max(state.options().maxBufferedInput(), length - headerLength));
        }
        finish();
        side.end();
        then.accept(state);
    }

    // Each outcome is counted after the close, so whoever sees the count also sees the state's memory released.
    private void reject(String why) {
        close(IoStatus.ERROR, new ProtocolException("PROXY protocol: " + why), why);
        counters.rejected();
    }

    private void fail(IoStatus status, IOException cause, String why) {
        close(status, cause, why);
        counters.rejected();
    }

    private void close(IoStatus status, Throwable cause, String why) {
        Loggers.ACCEPT.log(Level.DEBUG, () -> state.owner() + ": closing: " + why);
        finish();
        side.ended(status, cause);
        state.closeNow(false);
    }

    @Override
    public void timedOut() {
        if (done) {
            return;
        }
        if (!required) {
            // AUTO: a client that sent nothing (or only bytes a header could start with) and waits for the server
            // is not a proxy that lost its way; serve it as direct rather than hang it.
            direct();
            return;
        }
        String why = "no complete PROXY protocol header within " + timeout + " (" + length + " bytes came)";
        close(IoStatus.TIMEOUT, new SocketTimeoutException(why), why);
        counters.timedOut();
    }

    @Override
    public void abort(BufferCallback cb, boolean callBack) {
        // Nobody has the state yet (it may be aborted from a listing): it goes, as if its header never came.
        finish();
        side.end();
        state.closeNow(false);
        counters.rejected();
        if (callBack) {
            state.call(cb, null, 0);
        }
    }

    @Override
    public void clear() {
        finish();
    }

    /** Drops the held bytes and the timer; idempotent. */
    private void finish() {
        if (!done) {
            done = true;
            state.loop().deadlines().cancel(timer);
        }
        if (charged > 0) {
            state.memory().release(charged);
            charged = 0;
        }
        held = null;
    }
}
