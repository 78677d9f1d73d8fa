package dev.asyncio.bench.chaos;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Another process's CPU time and open descriptors, and this process's user id, from {@code /proc} (Linux only). */
final class ProcCpu {

    private static final double TICKS_PER_SECOND = 100.0; // USER_HZ; 100 on every mainstream Linux build

    private ProcCpu() {
    }

    /**
     * @param pid a process id
     * @return its user + system CPU seconds so far, or -1 when {@code /proc} cannot tell
     */
    static double seconds(long pid) {
        try {
            return parseStat(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
        } catch (IOException | RuntimeException e) {
            return -1;
        }
    }

    /**
     * @param stat the text of {@code /proc/<pid>/stat}
     * @return utime + stime in seconds
     */
    static double parseStat(String stat) {
        // The command name, in parentheses, may hold spaces: fields are counted from after its closing parenthesis.
        String[] f = stat.substring(stat.lastIndexOf(')') + 2).trim().split(" ");
        // f[0] is field 3 (state); utime is field 14, stime field 15.
        return (Long.parseLong(f[11]) + Long.parseLong(f[12])) / TICKS_PER_SECOND;
    }

    /**
     * @param pid a process id
     * @return how many descriptors it has open, or -1 when {@code /proc} cannot tell
     */
    static int openFiles(long pid) {
        String[] fds = Path.of("/proc", Long.toString(pid), "fd").toFile().list();
        return fds == null ? -1 : fds.length;
    }

    /** @return whether this process runs as root (uid 0), as a raw socket needs */
    static boolean root() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("Uid:")) {
                    return line.substring(4).trim().split("\\s+")[1].equals("0"); // the effective uid
                }
            }
        } catch (IOException | RuntimeException e) {
            return false;
        }
        return false;
    }
}
