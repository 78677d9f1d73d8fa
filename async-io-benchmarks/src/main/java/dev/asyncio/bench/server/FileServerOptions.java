package dev.asyncio.bench.server;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of the file servers: {@code --file PATH} (required, a readable regular file), {@code --keystore PATH}
 * (the PKCS#12 store of {@link BenchTls}, for TLS only) plus everything {@link ServerOptions} takes.
 *
 * @param server the common server options
 * @param file the file sent whole to every connection
 * @param keystore the TLS key store, or {@code null}
 */
public record FileServerOptions(ServerOptions server, Path file, Path keystore) {

    /**
     * Parses the command line.
     *
     * @param args {@code --name value} pairs
     * @param defaultMode the mode when {@code --mode} is absent
     * @return the options
     * @throws IllegalArgumentException when {@code --file} is missing or not a readable file, or as
     *         {@link ServerOptions#parse}
     */
    public static FileServerOptions parse(String[] args, String defaultMode) {
        List<String> rest = new ArrayList<>();
        Path file = null;
        Path keystore = null;
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--file") && i + 1 < args.length) {
                file = Path.of(args[++i]);
            } else if (args[i].equals("--keystore") && i + 1 < args.length) {
                keystore = Path.of(args[++i]);
            } else {
                rest.add(args[i]);
            }
        }
        if (file == null || !Files.isRegularFile(file) || !Files.isReadable(file)) {
            throw new IllegalArgumentException("--file must name a readable regular file, got " + file);
        }
        return new FileServerOptions(ServerOptions.parse(rest.toArray(String[]::new), defaultMode), file,
                keystore);
    }
}
