package dev.asyncio.bench.server;

/** The one line every Java echo server prints once it listens, so scripts and humans see what runs where. */
final class Ready {

    private Ready() {
    }

    static void announce(String server, ServerOptions options) {
        System.out.println("READY " + server + " mode=" + options.mode() + " loops=" + options.loops() + " port="
                + options.port() + " pid=" + ProcessHandle.current().pid() + " java=" + Runtime.version());
        System.out.flush();
    }
}
