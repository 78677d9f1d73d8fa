package dev.asyncio.bench.chaos;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Counts the ERROR and WARN lines of a Spring Boot console log (the default pattern puts the level right after the
 * timestamp: {@code 2026-12-07T21:14:00.123Z ERROR 4711 --- [app] [thread] logger : message}). Stack-trace lines
 * are not counted (they belong to the line before); an uncaught exception's {@code Exception in thread} line counts
 * as an ERROR, and {@code OutOfMemoryError} anywhere is counted on its own because it matters whatever logged it.
 * Pure: works on lines, so it is tested without a process.
 */
final class LogLevelCounter {

    private static final Pattern LEVEL = Pattern.compile("^\\S+\\s+(ERROR|WARN)\\s");
    private static final int KEPT = 5;

    private int errors;
    private int warnings;
    private int outOfMemory;
    private final List<String> firstErrors = new ArrayList<>();

    /**
     * @param lines log lines
     * @return the counts over {@code lines}
     */
    static LogLevelCounter count(List<String> lines) {
        LogLevelCounter c = new LogLevelCounter();
        for (String line : lines) {
            c.add(line);
        }
        return c;
    }

    private void add(String line) {
        if (line.contains("OutOfMemoryError")) {
            outOfMemory++;
        }
        Matcher m = LEVEL.matcher(line);
        String level = m.find() ? m.group(1) : "";
        if (level.equals("ERROR") || line.startsWith("Exception in thread")) {
            errors++;
            if (firstErrors.size() < KEPT) {
                firstErrors.add(line.length() > 300 ? line.substring(0, 300) + "..." : line);
            }
        } else if (level.equals("WARN")) {
            warnings++;
        }
    }

    /** @return ERROR lines (and uncaught-exception lines) */
    int errors() {
        return errors;
    }

    /** @return WARN lines */
    int warnings() {
        return warnings;
    }

    /** @return lines mentioning {@code OutOfMemoryError} */
    int outOfMemory() {
        return outOfMemory;
    }

    /** @return the first few ERROR lines, cut to 300 characters, for the report */
    List<String> firstErrors() {
        return firstErrors;
    }
}
