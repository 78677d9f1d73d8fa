package dev.asyncio.spring;

import org.jspecify.annotations.Nullable;

/**
 * A configuration property of async-io has a value the starter cannot use: a port out of range, an unknown
 * collection, a missing or wrongly typed connection-function bean, a port that stayed busy. Thrown while the
 * application context starts; the starter's failure analyzer turns it into a start-up report that names the
 * property and says what to do.
 */
public class AsyncIoConfigurationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String property;

    private final transient @Nullable Object value;

    private final String reason;

    private final String action;

    /**
     * @param property the full property name, e.g. {@code async-io.handles.echo.port}
     * @param value the offending value, {@code null} when the property is missing
     * @param reason what is wrong, as a sentence fragment
     * @param action what the user should do
     */
    public AsyncIoConfigurationException(String property, @Nullable Object value, String reason, String action) {
        this(property, value, reason, action, null);
    }

    /**
     * @param property the full property name
     * @param value the offending value, {@code null} when the property is missing
     * @param reason what is wrong
     * @param action what the user should do
     * @param cause the underlying failure, or {@code null}
     */
    public AsyncIoConfigurationException(String property, @Nullable Object value, String reason, String action,
            @Nullable Throwable cause) {
        super("Invalid async-io configuration: property '" + property + "'"
                + ((value != null) ? " with value '" + value + "'" : "") + " " + reason, cause);
        this.property = property;
        this.value = value;
        this.reason = reason;
        this.action = action;
    }

    /** @return the full name of the offending property */
    public String getProperty() {
        return this.property;
    }

    /** @return the offending value, {@code null} when the property is missing */
    public @Nullable Object getValue() {
        return this.value;
    }

    /** @return what is wrong */
    public String getReason() {
        return this.reason;
    }

    /** @return what the user should do */
    public String getAction() {
        return this.action;
    }
}
