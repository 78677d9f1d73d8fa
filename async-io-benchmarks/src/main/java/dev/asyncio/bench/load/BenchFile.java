package dev.asyncio.bench.load;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;

/**
 * The file the sendFile benchmark serves: {@code size} bytes of one 1 MiB pseudo-random block repeated (the last
 * copy cut short). Every byte is written for real, so the file occupies the page cache like any other file of that
 * size (a sparse file would be served from the zero page and flatter every server). The block comes from a fixed
 * seed, so the client knows what byte belongs at each position without reading the file: {@link #expected(long)}.
 *
 * <p>{@code java -cp async-io-benchmarks.jar dev.asyncio.bench.load.BenchFile PATH MEBIBYTES} creates the file, or
 * reuses it when it already has that size and starts with the block; it prints the path.
 */
public final class BenchFile {

    /** The length of the repeated block. */
    public static final int BLOCK = 1 << 20;

    private static final long SEED = 0x5e4df11eL;

    private static final byte[] CONTENT = block();

    private BenchFile() {
    }

    /**
     * Creates or reuses the benchmark file.
     *
     * @param args the path and the size in MiB
     * @throws IOException when the file cannot be written
     */
    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            System.err.println("usage: BenchFile PATH MEBIBYTES");
            System.exit(2);
        }
        Path path = Path.of(args[0]);
        long size = Long.parseLong(args[1]) * BLOCK;
        boolean created = ensure(path, size);
        System.out.println((created ? "created " : "reused ") + path + " " + size + " bytes");
    }

    /**
     * Makes sure {@code path} holds the benchmark content of {@code size} bytes.
     *
     * @param path the file
     * @param size its length in bytes
     * @return whether it had to be written (false: an existing file of that size with the right first block)
     * @throws IOException when it cannot be read or written
     */
    public static boolean ensure(Path path, long size) throws IOException {
        if (Files.isRegularFile(path) && Files.size(path) == size && startsRight(path, size)) {
            return false;
        }
        if (path.getParent() != null) {
            Files.createDirectories(path.getParent());
        }
        Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
        try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer block = ByteBuffer.wrap(CONTENT);
            for (long at = 0; at < size; at += BLOCK) {
                block.clear().limit((int) Math.min(BLOCK, size - at));
                while (block.hasRemaining()) {
                    out.write(block);
                }
            }
            out.force(false);
        }
        // A half-written file must never look like a finished one to the next run: write aside, then rename.
        Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
        return true;
    }

    /**
     * @param position a position in the file
     * @return the byte the file holds there
     */
    public static byte expected(long position) {
        return CONTENT[(int) (position & (BLOCK - 1))];
    }

    /** @return a copy of the repeated block */
    public static byte[] content() {
        return CONTENT.clone();
    }

    private static boolean startsRight(Path path, long size) throws IOException {
        ByteBuffer first = ByteBuffer.allocate((int) Math.min(BLOCK, size));
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            while (first.hasRemaining() && in.read(first) > 0) {
                // read on to the end of the first block
            }
        }
        return first.flip().equals(ByteBuffer.wrap(CONTENT, 0, first.limit()));
    }

    private static byte[] block() {
        byte[] b = new byte[BLOCK];
        new Random(SEED).nextBytes(b); // java.util.Random: the same bytes on every JVM for the seed
        return b;
    }
}
