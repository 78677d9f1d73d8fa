package dev.asyncio.spring.logging;

import java.text.MessageFormat;
import java.util.MissingResourceException;
import java.util.ResourceBundle;

import org.apache.commons.logging.Log;
import org.jspecify.annotations.Nullable;

/**
 * A {@link System.Logger} over a Commons Logging {@link Log}: {@code TRACE}/{@code DEBUG}/{@code INFO} map to the
 * levels of the same name, {@code WARNING} to warn, {@code ERROR} to error, {@code ALL} to trace. Whether a level is
 * enabled is asked of the {@code Log} on every call, so level changes (for instance through the actuator's
 * {@code loggers} endpoint) apply at once. Messages with parameters are formatted with {@link MessageFormat}, as the
 * JDK does. Thread-safe.
 */
public final class CommonsLoggingSystemLogger implements System.Logger {

    private final String name;

    private final Log log;

    /**
     * @param name the logger's name
     * @param log where the lines go
     */
    public CommonsLoggingSystemLogger(String name, Log log) {
        this.name = name;
        this.log = log;
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> this.log.isTraceEnabled();
            case DEBUG -> this.log.isDebugEnabled();
            case INFO -> this.log.isInfoEnabled();
            case WARNING -> this.log.isWarnEnabled();
            case ERROR -> this.log.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String msg, @Nullable Throwable thrown) {
        if (isLoggable(level)) {
            write(level, localized(bundle, msg), thrown);
        }
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format,
            @Nullable Object... params) {
        if (isLoggable(level)) {
            String text = localized(bundle, format);
            if (params != null && params.length > 0 && text != null) {
                text = new MessageFormat(text).format(params);
            }
            write(level, text, null);
        }
    }

    private void write(Level level, @Nullable String text, @Nullable Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> this.log.trace(text, thrown);
            case DEBUG -> this.log.debug(text, thrown);
            case INFO -> this.log.info(text, thrown);
            case WARNING -> this.log.warn(text, thrown);
            case ERROR -> this.log.error(text, thrown);
            case OFF -> {
                // Never logged.
            }
        }
    }

    private static @Nullable String localized(@Nullable ResourceBundle bundle, @Nullable String key) {
        if (bundle == null || key == null) {
            return key;
        }
        try {
            return bundle.getString(key);
        }
        catch (MissingResourceException ex) {
            return key;
        }
    }
}
