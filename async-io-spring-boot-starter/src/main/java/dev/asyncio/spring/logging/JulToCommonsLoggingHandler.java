package dev.asyncio.spring.logging;

import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@code java.util.logging} handler that writes each record to the Commons Logging log of the record's logger name
 * ({@code SEVERE} → error, {@code WARNING} → warn, {@code INFO}/{@code CONFIG} → info, {@code FINE} → debug, finer →
 * trace), formatting its parameters as JUL does. Whether a level is enabled is asked of the Commons Logging log per
 * record, so Spring's level settings decide. Thread-safe.
 */
public final class JulToCommonsLoggingHandler extends Handler {

    private final SimpleFormatter formatter = new SimpleFormatter();

    @Override
    public void publish(LogRecord record) {
        if (record == null) {
            return;
        }
        Log log = LogFactory.getLog((record.getLoggerName() != null) ? record.getLoggerName() : "");
        int level = record.getLevel().intValue();
        if (level >= Level.SEVERE.intValue()) {
            if (log.isErrorEnabled()) {
                log.error(this.formatter.formatMessage(record), record.getThrown());
            }
        }
        else if (level >= Level.WARNING.intValue()) {
            if (log.isWarnEnabled()) {
                log.warn(this.formatter.formatMessage(record), record.getThrown());
            }
        }
        else if (level >= Level.CONFIG.intValue()) {
            if (log.isInfoEnabled()) {
                log.info(this.formatter.formatMessage(record), record.getThrown());
            }
        }
        else if (level >= Level.FINE.intValue()) {
            if (log.isDebugEnabled()) {
                log.debug(this.formatter.formatMessage(record), record.getThrown());
            }
        }
        else if (log.isTraceEnabled()) {
            log.trace(this.formatter.formatMessage(record), record.getThrown());
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
