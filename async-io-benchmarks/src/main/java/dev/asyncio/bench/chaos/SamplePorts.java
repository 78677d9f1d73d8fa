package dev.asyncio.bench.chaos;

/**
 * The fixed ports one sample process listens on: a block of six consecutive ports from {@code base}, so that each
 * scenario uses its own block and a port still in TIME_WAIT from the previous scenario never delays the next.
 *
 * @param http the HTTP (actuator) port
 * @param echo the plain echo handle
 * @param tls  the TLS echo handle
 * @param kv   the Redis-protocol handle
 * @param udp  the UDP echo
 * @param frames the length-prefixed frame echo
 */
record SamplePorts(int http, int echo, int tls, int kv, int udp, int frames) {

    /** Ports each block takes; blocks start this far apart. */
    static final int BLOCK = 10;

    /**
     * @param base  the first port of the range
     * @param index the scenario's position
     * @return the block {@code base + BLOCK * index} onwards
     * @throws IllegalArgumentException when the block would pass port 65535
     */
    static SamplePorts block(int base, int index) {
        int first = base + BLOCK * index;
        if (first < 1024 || first + 5 > 65535) {
            throw new IllegalArgumentException("--port-base gives ports " + first + ".." + (first + 5)
                    + ", outside 1024..65535");
        }
        return new SamplePorts(first, first + 1, first + 2, first + 3, first + 4, first + 5);
    }
}
