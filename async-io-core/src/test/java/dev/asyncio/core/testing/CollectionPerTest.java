package dev.asyncio.core.testing;

import dev.asyncio.core.WaitStateCollection;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * A running collection for every test of a class, closed after the test: the fixture of the test packages below
 * {@code dev.asyncio.core}, which cannot extend the core package's own {@code LoopTestSupport}. The loop thread is a
 * daemon, so a loop left running by a close that failed cannot keep the test JVM alive, and it carries the name the
 * class gives, so a thread dump shows whose loop it is.
 */
public abstract class CollectionPerTest {

    private final String name;

    /** The running collection of the current test. */
    protected WaitStateCollection collection;

    /** @param name the collection's name (its loop thread is {@code Loop Collection <name>}) */
    protected CollectionPerTest(String name) {
        this.name = name;
    }

    /** Starts the collection before each test (before the test class's own {@code @BeforeEach} methods). */
    @BeforeEach
    protected final void startCollection() {
        collection = WaitStateCollection.builder(name).daemon(true).createAndRun();
    }

    /** Closes the collection after each test (after the test class's own {@code @AfterEach} methods). */
    @AfterEach
    protected final void closeCollection() {
        collection.close();
    }
}
