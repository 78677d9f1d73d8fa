package dev.asyncio.core.internal.engine;

import dev.asyncio.core.OperationOptions;
import dev.asyncio.core.StateOptions;
import dev.asyncio.core.internal.loop.Timeouts;

import java.time.Duration;

/**
 * A state's settings that the application may change at any time: the idle timeouts, the total read deadline and the
 * user info (LispWorks {@code async-io-state-read-timeout}, {@code -write-timeout}, {@code -user-info}), including
 * the sticky ones an operation's options set. Any thread: every field is volatile.
 */
public final class StateSettings {

    private volatile long readTimeoutNanos;
    private volatile long writeTimeoutNanos;
    private volatile long readDeadlineNanos;
    private volatile Object userInfo;

    StateSettings(StateOptions options) {
        this.userInfo = options.userInfo();
        this.readTimeoutNanos = Timeouts.toNanos(options.readTimeout());
        this.writeTimeoutNanos = Timeouts.toNanos(options.writeTimeout());
        this.readDeadlineNanos = Timeouts.toNanos(options.readDeadline());
    }

    /** @return the read idle timeout in nanoseconds, {@link Timeouts#NONE} for none */
    public long readTimeoutNanos() {
        return readTimeoutNanos;
    }

    /** @param timeout the read idle timeout, {@code null} for none */
    public void readTimeout(Duration timeout) {
        readTimeoutNanos = Timeouts.toNanos(timeout);
    }

    /** @return the total read deadline in nanoseconds, {@link Timeouts#NONE} for none */
    public long readDeadlineNanos() {
        return readDeadlineNanos;
    }

    /** @param deadline the total read deadline, {@code null} for none */
    public void readDeadline(Duration deadline) {
        readDeadlineNanos = Timeouts.toNanos(deadline);
    }

    /** @return the write idle timeout in nanoseconds, {@link Timeouts#NONE} for none */
    public long writeTimeoutNanos() {
        return writeTimeoutNanos;
    }

    /** @param timeout the write idle timeout, {@code null} for none */
    public void writeTimeout(Duration timeout) {
        writeTimeoutNanos = Timeouts.toNanos(timeout);
    }

    /** @return the application's object */
    public Object userInfo() {
        return userInfo;
    }

    /** @param info the application's object */
    public void userInfo(Object info) {
        userInfo = info;
    }

    /** @param options a read's sticky options: timeout, deadline and user info */
    public void applyReadOptions(OperationOptions options) {
        if (options.timeoutSet()) {
            readTimeoutNanos = Timeouts.toNanos(options.timeoutValue());
        }
        if (options.deadlineSet()) {
            readDeadlineNanos = Timeouts.toNanos(options.deadlineValue());
        }
        if (options.userInfoSet()) {
            userInfo = options.userInfo();
        }
    }

    /** @param options a write's sticky options: timeout and user info */
    void applyWriteOptions(OperationOptions options) {
        if (options.timeoutSet()) {
            writeTimeoutNanos = Timeouts.toNanos(options.timeoutValue());
        }
        if (options.userInfoSet()) {
            userInfo = options.userInfo();
        }
    }
}
