package dev.asyncio.sample.testing;

import java.lang.System.Logger;
import java.util.List;
import java.util.ResourceBundle;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/** A {@link System.Logger} that keeps the lines it is given, for tests that count log lines. Thread-safe. */
public final class RecordingLogger implements Logger {

    private final List<String> lines = new CopyOnWriteArrayList<>();

    /** @return the lines logged so far */
    public List<String> lines() {
        return lines;
    }

    @Override
    public String getName() {
        return "recording";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, Supplier<String> message) {
        lines.add(message.get());
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
        lines.add(msg);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        lines.add(format);
    }
}
