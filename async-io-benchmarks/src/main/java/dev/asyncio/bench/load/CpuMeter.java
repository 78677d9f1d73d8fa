package dev.asyncio.bench.load;

/**
 * CPU spent by the server and by this generator over the measured interval, as a percentage of one CPU. A server
 * below ~90 % while the generator is near 100 % means the generator, not the server, set the pace.
 */
final class CpuMeter {

    private final long serverPid;
    private final long selfPid = ProcessHandle.current().pid();
    private final double serverStart;
    private final double selfStart;
    private double serverEnd = -1;
    private double selfEnd = -1;

    private CpuMeter(long serverPid) {
        this.serverPid = serverPid;
        this.serverStart = ProcessCpu.cpuSeconds(serverPid);
        this.selfStart = ProcessCpu.cpuSeconds(selfPid);
    }

    /** Starts measuring now. */
    static CpuMeter start(long serverPid) {
        return new CpuMeter(serverPid);
    }

    /** Ends the interval now. */
    void stop() {
        serverEnd = ProcessCpu.cpuSeconds(serverPid);
        selfEnd = ProcessCpu.cpuSeconds(selfPid);
    }

    /** @return the server's CPU seconds over the interval, or -1 when unknown (no pid, no /proc, not stopped) */
    double serverSeconds() {
        return serverEnd >= 0 && serverStart >= 0 ? serverEnd - serverStart : -1;
    }

    /** @return this process's CPU seconds over the interval, or -1 when unknown */
    double selfSeconds() {
        return selfEnd >= 0 && selfStart >= 0 ? selfEnd - selfStart : -1;
    }

    /**
     * Adds {@code server_cpu_pct} (when the server's pid is known) and {@code client_cpu_pct} of the interval to
     * {@code r}; nothing when {@code meter} is null (the run ended before measuring began).
     */
    static Result addTo(CpuMeter meter, Result r, double elapsedSeconds) {
        if (meter == null) {
            return r;
        }
        if (meter.serverEnd >= 0 && meter.serverStart >= 0) {
            r.cpu("server_cpu_pct", meter.serverEnd - meter.serverStart, elapsedSeconds);
        }
        if (meter.selfEnd >= 0 && meter.selfStart >= 0) {
            r.cpu("client_cpu_pct", meter.selfEnd - meter.selfStart, elapsedSeconds);
        }
        return r;
    }
}
