package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A callback of every shape the API uses that records each invocation, so a test can wait for the next one with a
 * bounded timeout ({@link #next()}) or check that none came ({@link #assertNoCall()}).
 */
final class CallRecorder implements BufferCallback, StateCallback, ConnectCallback, ShutdownCallback {
    private final LinkedBlockingQueue<Call> calls = new LinkedBlockingQueue<>();
    private final List<Call> all = new ArrayList<>();

    @Override
    public void call(AsyncIoState state, byte[] buffer, int count) {
        record(Call.of(state, buffer, count));
    }

    @Override
    public void call(AsyncIoState state) {
        record(Call.of(state, null, 0));
    }

    @Override
    public void call(AsyncIoState state, Throwable failure) {
        record(Call.of(state, failure));
    }

    private synchronized void record(Call call) {
        all.add(call);
        calls.add(call);
    }

    /** @return the next invocation, waiting up to 10 s for it */
    Call next() throws InterruptedException {
        Call c = calls.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("callback invocation within 10 s").isNotNull();
        return c;
    }

    /** Asserts that no invocation is waiting to be taken. Run a loop round trip first so pending callbacks have run. */
    void assertNoCall() {
        assertThat(calls).as("unexpected callback invocations").isEmpty();
    }

    synchronized int count() {
        return all.size();
    }

    synchronized List<Call> all() {
        return List.copyOf(all);
    }
}
