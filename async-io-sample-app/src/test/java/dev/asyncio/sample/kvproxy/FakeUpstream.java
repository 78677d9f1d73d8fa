package dev.asyncio.sample.kvproxy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A {@link KvUpstream} for tests: records every command it is sent and either answers at once (a bulk string of the
 * command's arguments after the name, joined by blanks), or holds the commands until the test answers them, in any
 * order, from the test's thread.
 */
final class FakeUpstream implements KvUpstream {

    /** One command received and not answered yet (in holding mode). */
    record Held(int lane, byte[] command, Reply reply) {
        String text() {
            return new String(command, StandardCharsets.UTF_8);
        }
    }

    private final boolean hold;
    final BlockingQueue<Held> held = new LinkedBlockingQueue<>();
    final List<String> received = java.util.Collections.synchronizedList(new ArrayList<>());
    volatile String failWith;

    private FakeUpstream(boolean hold) {
        this.hold = hold;
    }

    /** @return an upstream that answers each command at once with its arguments */
    static FakeUpstream echoing() {
        return new FakeUpstream(false);
    }

    /** @return an upstream that holds every command until the test answers it */
    static FakeUpstream holding() {
        return new FakeUpstream(true);
    }

    @Override
    public void send(int lane, byte[] command, Reply reply) {
        received.add(new String(command, StandardCharsets.UTF_8));
        if (failWith != null) {
            reply.failed(failWith);
        } else if (hold) {
            held.add(new Held(lane, command, reply));
        } else {
            reply.replied(bulk(arguments(command)));
        }
    }

    static byte[] bulk(String value) {
        byte[] data = value.getBytes(StandardCharsets.UTF_8);
        return ("$" + data.length + "\r\n" + value + "\r\n").getBytes(StandardCharsets.UTF_8);
    }

    /** @return the arguments of a multi-bulk command after its name, joined by blanks */
    static String arguments(byte[] command) {
        String[] lines = new String(command, StandardCharsets.UTF_8).split("\r\n");
        StringBuilder out = new StringBuilder();
        // *n, $len, name, then $len, arg pairs.
        for (int i = 4; i < lines.length; i += 2) {
            if (out.length() > 0) {
                out.append(' ');
            }
            out.append(lines[i]);
        }
        return out.toString();
    }
}
