package dev.asyncio.core;

import org.jspecify.annotations.Nullable;

import dev.asyncio.core.internal.loop.Timeouts;

import java.time.Duration;

/**
 * The per-operation keyword arguments of LispWorks' read and write functions: {@code :timeout}, {@code :user-info},
 * {@code :max-read} (sticky: they change the state for this and every later operation) and {@code :error-callback}
 * (this operation only); beyond LispWorks, a read {@link Builder#deadline(Duration) deadline} (sticky too).
 *
 * <p>Immutable; {@link #NONE} changes nothing.
 */
public final class OperationOptions {

    /** No per-operation arguments. */
    public static final OperationOptions NONE = builder().build();

    private final boolean timeoutSet;
    private final Duration timeout;
    private final boolean userInfoSet;
    private final Object userInfo;
    private final int maxRead;
    private final BufferCallback errorCallback;
    private final boolean deadlineSet;
    private final Duration deadline;

    private OperationOptions(Builder b) {
        this.deadlineSet = b.deadlineSet;
        this.deadline = b.deadline;
        this.timeoutSet = b.timeoutSet;
        this.timeout = b.timeout;
        this.userInfoSet = b.userInfoSet;
        this.userInfo = b.userInfo;
        this.maxRead = b.maxRead;
        this.errorCallback = b.errorCallback;
    }

    /** @return a builder that sets nothing */
    public static Builder builder() {
        return new Builder();
    }

    /** @param errorCallback the error callback @return options with just an error callback */
    public static OperationOptions errorCallback(BufferCallback errorCallback) {
        return builder().errorCallback(errorCallback).build();
    }

    /** @param timeout positive or {@code null} (none) @return options with just a (sticky) timeout */
    public static OperationOptions timeout(@Nullable Duration timeout) {
        return builder().timeout(timeout).build();
    }

    /** @return whether a timeout was given (it then replaces the state's timeout for that direction) */
    public boolean timeoutSet() {
        return timeoutSet;
    }

    /** @return the timeout given, {@code null} = none; meaningful when {@link #timeoutSet()} */
    public @Nullable Duration timeoutValue() {
        return timeout;
    }

    /** @return whether a read deadline was given (it then replaces the state's read deadline) */
    public boolean deadlineSet() {
        return deadlineSet;
    }

    /** @return the read deadline given, {@code null} = none; meaningful when {@link #deadlineSet()} */
    public @Nullable Duration deadlineValue() {
        return deadline;
    }

    /** @return whether user info was given (it then replaces the state's user info) */
    public boolean userInfoSet() {
        return userInfoSet;
    }

    /** @return the user info given; meaningful when {@link #userInfoSet()} */
    public Object userInfo() {
        return userInfo;
    }

    /** @return the max-read given, 0 = not given (read-with-checking only; sticky) */
    public int maxRead() {
        return maxRead;
    }

    /** @return called instead of the callback when the operation fails with an I/O error; {@code null} = the callback */
    public @Nullable BufferCallback errorCallback() {
        return errorCallback;
    }

    /** Builds {@link OperationOptions}. */
    public static final class Builder {
        private boolean timeoutSet;
        private Duration timeout;
        private boolean userInfoSet;
        private Object userInfo;
        private int maxRead;
        private BufferCallback errorCallback;
        private boolean deadlineSet;
        private Duration deadline;

        private Builder() {
        }

        /**
         * A total deadline for reads, however many bytes trickle in, besides the idle timeout; sticky, as
         * {@link #timeout} is (it sets {@link AsyncIoState#setReadDeadline}). See {@link StateOptions#readDeadline()}
         * for what it covers per operation. Beyond LispWorks.
         *
         * @param deadline positive, or {@code null} for none
         * @return this
         */
        public Builder deadline(@Nullable Duration deadline) {
            this.deadline = Timeouts.check("deadline", deadline);
            this.deadlineSet = true;
            return this;
        }

        /** @param timeout positive, or {@code null} for none; sticky (LispWorks {@code :timeout}) @return this */
        public Builder timeout(@Nullable Duration timeout) {
            this.timeout = Timeouts.check("timeout", timeout);
            this.timeoutSet = true;
            return this;
        }

        /** @param userInfo replaces the state's user info; sticky (LispWorks {@code :user-info}) @return this */
        public Builder userInfo(Object userInfo) {
            this.userInfo = userInfo;
            this.userInfoSet = true;
            return this;
        }

        /** @param maxRead positive; sticky (LispWorks {@code :max-read}) @return this */
        public Builder maxRead(int maxRead) {
            if (maxRead <= 0) {
                throw new IllegalArgumentException("maxRead must be positive, got " + maxRead);
            }
            this.maxRead = maxRead;
            return this;
        }

        /** @param errorCallback called on I/O errors instead of the callback (LispWorks {@code :error-callback}) @return this */
        public Builder errorCallback(BufferCallback errorCallback) {
            this.errorCallback = errorCallback;
            return this;
        }

        /** @return the options */
        public OperationOptions build() {
            return new OperationOptions(this);
        }
    }
}
