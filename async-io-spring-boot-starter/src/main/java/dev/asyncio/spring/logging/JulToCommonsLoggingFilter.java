package dev.asyncio.spring.logging;

import java.util.logging.Filter;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.SimpleFormatter;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * A {@code java.util.logging} filter that writes each record to the Commons Logging log of the record's logger name
 * ({@code SEVERE} → error, {@code WARNING} → warn, {@code INFO}/{@code CONFIG} → info, {@code FINE} → debug, finer →
 * trace), formatting its parameters as JUL does, and then drops it from JUL ({@link #isLoggable} returns false), so
 * that nothing is logged twice.
 *
 * <p>Why a filter and not a handler: JUL's {@code LogManager} resets every logger in a JVM shutdown hook, removing
 * all handlers — while Spring's shutdown hook is still draining connections. A logger's filter survives the reset.
 * Whether a level is enabled is asked of the Commons Logging log per record. Thread-safe.
 */
public final class JulToCommonsLoggingFilter implements Filter {

    private final SimpleFormatter formatter = new SimpleFormatter();

    /**
     * Writes the record to Commons Logging.
     * @param record a record of a routed logger
     * @return false: JUL's own handlers never see the record
     */
    @Override
    public boolean isLoggable(LogRecord record) {
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
        return false;
    }
}
