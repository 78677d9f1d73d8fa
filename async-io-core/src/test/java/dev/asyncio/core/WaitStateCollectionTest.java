package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.net.ServerSocket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

/** Wait-state-collections: the loop thread, {@code apply}, stopping, closing, and driving a loop by hand. */
class WaitStateCollectionTest extends LoopTestSupport {

    @Test
    void createAndRunRunsTheLoopOnAThreadNamedAfterTheCollection() throws Exception {
        assertThat(collection.name()).isEqualTo(collectionName);
        assertThat(collection.isAlive()).isTrue();
        assertThat(collection.isClosed()).isFalse();
        assertThat(collection.inLoopThread()).isFalse();

        assertThat(onLoop(() -> Thread.currentThread().getName())).isEqualTo(loopThreadName());
        assertThat(onLoop(() -> collection.inLoopThread())).isTrue();
    }

    @Test
    void applyRunsOnTheLoopThreadInOrder() throws Exception {
        List<Integer> order = Collections.synchronizedList(new ArrayList<>());
        List<String> threads = Collections.synchronizedList(new ArrayList<>());
        for (int i = 0; i < 100; i++) {
            int n = i;
            collection.apply(() -> {
                order.add(n);
                threads.add(Thread.currentThread().getName());
            });
        }
        roundTrip();
        assertThat(order).hasSize(100).isSorted();
        assertThat(threads).containsOnly(loopThreadName());
    }

    @Test
    void applyFromTheLoopThreadIsQueuedNotRunSynchronously() throws Exception {
        AtomicBoolean outerFinished = new AtomicBoolean();
        CompletableFuture<Boolean> innerSawOuterFinished = new CompletableFuture<>();
        collection.apply(() -> {
            collection.apply(() -> innerSawOuterFinished.complete(outerFinished.get()));
            outerFinished.set(true);
        });
        assertThat(innerSawOuterFinished.get(10, TimeUnit.SECONDS))
                .as("the function applied from the loop thread ran after the applying function returned")
                .isTrue();
    }

    @Test
    void executeIsApply() throws Exception {
        CompletableFuture<String> thread = new CompletableFuture<>();
        collection.execute(() -> thread.complete(Thread.currentThread().getName()));
        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo(loopThreadName());
        assertThat(CompletableFuture.supplyAsync(() -> "x", collection).get(10, TimeUnit.SECONDS)).isEqualTo("x");
    }

    @Test
    void stopLoopFromAnotherThreadEndsTheLoopAndClosesTheCollection() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);

        Thread stopper = new Thread(collection::stopLoop, "stopper");
        stopper.start();
        stopper.join(WAIT.toMillis());

        assertThat(collection.awaitTermination(WAIT)).isTrue();
        assertThat(collection.isAlive()).isFalse();
        assertThat(collection.isClosed()).as("a collection made by createAndRun is closed when its loop ends").isTrue();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(c.channel().isOpen()).isFalse();
        assertThat(c.peer().seesEof()).isTrue();
    }

    @Test
    void stopLoopFromTheLoopThreadAlsoEndsIt() throws Exception {
        collection.apply(collection::stopLoop);
        assertThat(collection.awaitTermination(WAIT)).isTrue();
        assertThat(collection.isAlive()).isFalse();
        assertThat(collection.isClosed()).isTrue();
    }

    @Test
    void closeStopsTheLoopAndClosesStatesAndHandles() throws Exception {
        Connection c = connect();
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").build());
        int port = handle.localPort();
        roundTrip(); // the state is linked into the collection (see aStateCreatedRightBeforeCloseIsClosedToo)

        collection.close();

        assertThat(collection.isClosed()).isTrue();
        assertThat(collection.isAlive()).isFalse();
        assertThat(c.state().isOpen()).isFalse();
        assertThat(handle.isOpen()).isFalse();
        assertThat(c.peer().seesEof()).isTrue();
        try (java.net.ServerSocket rebound = new java.net.ServerSocket(port, 1, LOOPBACK)) {
            assertThat(rebound.getLocalPort()).as("close() freed the handle's port").isEqualTo(port);
        }
    }

    @Test
    void closeAllStatesClosesStatesAndHandlesSilentlyAndTheLoopKeepsRunning() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        CallRecorder write = new CallRecorder();
        c.state().readBuffer(new byte[10], read);
        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").build());

        collection.closeAllStates();

        await().until(() -> !c.state().isOpen() && !handle.isOpen());
        roundTrip();
        read.assertNoCall();
        write.assertNoCall();
        assertThat(c.peer().seesEof()).isTrue();
        assertThat(collection.states()).isEmpty();
        assertThat(collection.handles()).isEmpty();
        assertThat(collection.isAlive()).as("closeAllStates does not stop the loop").isTrue();
        assertThat(collection.isClosed()).isFalse();

        // The collection still takes new states and runs their callbacks.
        Connection fresh = connect();
        CallRecorder freshRead = new CallRecorder();
        fresh.state().readBuffer(new byte[3], freshRead);
        fresh.peer().send("new");
        Call call = freshRead.next();
        assertThat(call.text()).isEqualTo("new");
        assertOnLoop(call, loopThreadName());
    }

    @Test
    void closeAllStatesFromTheLoopThreadKeepsTheLoopRunning() throws Exception {
        Connection c = connect();
        onLoop(() -> {
            collection.closeAllStates();
            return null;
        });
        await().until(() -> !c.state().isOpen());
        assertThat(onLoop(() -> "still looping")).isEqualTo("still looping");
        assertThat(collection.isAlive()).isTrue();
    }

    @Test
    void aCollectionCanBeDrivenByHandWithWaitForAndCallReady() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("manual"));
        assertThat(manual.name()).isEqualTo("manual");

        AtomicReference<String> ranOn = new AtomicReference<>();
        manual.apply(() -> ranOn.set(Thread.currentThread().getName()));
        assertThat(ranOn.get()).as("apply never runs the function synchronously").isNull();

        manual.waitFor(); // returns at once: a message is pending
        manual.callReady();
        assertThat(ranOn.get()).isEqualTo(Thread.currentThread().getName());

        Connection c = connect(manual, StateOptions.DEFAULTS, 0);
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[5], read);
        c.peer().send("hello");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (read.count() == 0 && System.nanoTime() < deadline) {
            manual.waitFor();
            manual.callReady();
        }
        Call call = read.next();
        assertThat(call.text()).isEqualTo("hello");
        assertThat(call.thread()).as("callbacks run on the thread that drives the loop")
                .isEqualTo(Thread.currentThread().getName());
    }

    @Test
    void loopProcessingOnAnOwnThreadReturnsAfterStopLoop() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("own-thread"));
        CountDownLatch returned = new CountDownLatch(1);
        Thread driver = new Thread(() -> {
            manual.loopProcessing();
            returned.countDown();
        }, "my-driver");
        driver.start();
        CompletableFuture<String> thread = new CompletableFuture<>();
        manual.apply(() -> thread.complete(Thread.currentThread().getName()));
        assertThat(thread.get(10, TimeUnit.SECONDS)).isEqualTo("my-driver");

        manual.stopLoop();
        assertThat(returned.await(10, TimeUnit.SECONDS)).as("loopProcessing returned after stopLoop").isTrue();
        driver.join(WAIT.toMillis());
    }

    @Test
    void statisticsDescribeTheCollection() throws Exception {
        Connection c = connect();
        CallRecorder read = new CallRecorder();
        c.state().readBuffer(new byte[4], read);
        c.peer().send("abcd");
        read.next();
        CallRecorder write = new CallRecorder();
        c.state().writeBuffer(bytes("xyz"), write);
        write.next();
        c.peer().readExactly(3);

        CollectionStatistics stats = collection.statistics();
        assertThat(stats.name()).isEqualTo(collectionName);
        assertThat(stats.alive()).isTrue();
        assertThat(stats.states()).isEqualTo(1);
        assertThat(stats.handles()).isZero();
        assertThat(stats.bytesRead()).isEqualTo(4);
        assertThat(stats.bytesWritten()).isEqualTo(3);
        assertThat(stats.callbackFailures()).isZero();
        assertThat(collection.states()).containsExactly(c.state());
    }

    @Test
    void awaitTerminationTimesOutWhileTheLoopRuns() throws Exception {
        assertThat(collection.awaitTermination(Duration.ofMillis(20))).isFalse();
    }

    @Test
    void applyAfterCloseIsRejected() {
        collection.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.apply(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.execute(() -> { }))
                .isInstanceOf(java.util.concurrent.RejectedExecutionException.class);
        collection.close(); // closing twice does nothing
    }

    @Test
    void aSecondLoopOnARunningCollectionIsRefused() throws Exception {
        roundTrip(); // the loop thread runs the loop by now
        org.assertj.core.api.Assertions.assertThatThrownBy(collection::loopProcessing)
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one loop per collection");
        org.assertj.core.api.Assertions.assertThatThrownBy(collection::waitFor)
                .isInstanceOf(IllegalStateException.class);
        org.assertj.core.api.Assertions.assertThatThrownBy(collection::callReady)
                .isInstanceOf(IllegalStateException.class);
        assertThat(collection.isAlive()).isTrue();
        assertThat(onLoop(() -> Thread.currentThread().getName())).isEqualTo(loopThreadName());
    }

    @Test
    void theLoopOfCreateAndRunIsItsOwnFromTheMomentItReturns() throws Exception {
        // Right after createAndRun returns, its thread may not have entered the loop yet: a second loop on another
        // thread must still be refused, not take over the collection. The race is timing dependent, so try often.
        for (int attempt = 0; attempt < 20; attempt++) {
            try (WaitStateCollection fresh = WaitStateCollection.createAndRun("fresh-" + attempt)) {
                Throwable thrown = loopProcessingWithWatchdog(fresh);
                assertThat(thrown).as("loopProcessing right after createAndRun, attempt " + attempt)
                        .isInstanceOf(IllegalStateException.class);
                assertThat(onLoop(fresh, () -> Thread.currentThread().getName()))
                        .isEqualTo("Loop Collection fresh-" + attempt);
            }
        }
    }

    /** Calls loopProcessing on this thread; if it wrongly runs a loop, a watchdog stops it after 3 s. */
    private static Throwable loopProcessingWithWatchdog(WaitStateCollection c) throws InterruptedException {
        CountDownLatch returned = new CountDownLatch(1);
        Thread watchdog = new Thread(() -> {
            try {
                if (!returned.await(3, TimeUnit.SECONDS)) {
                    c.stopLoop();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        try {
            c.loopProcessing();
            return null;
        } catch (Throwable t) {
            return t;
        } finally {
            returned.countDown();
            watchdog.join(WAIT.toMillis());
        }
    }

    @Test
    void callReadyOnAnotherThreadThanWaitForIsRefused() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("manual-other-thread"));
        manual.apply(() -> { });
        manual.waitFor();
        CompletableFuture<Throwable> thrown = new CompletableFuture<>();
        Thread other = new Thread(() -> {
            try {
                manual.callReady();
                thrown.complete(null);
            } catch (Throwable t) {
                thrown.complete(t);
            }
        });
        other.start();
        assertThat(thrown.get(10, TimeUnit.SECONDS)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void createStateRefusesAClosedChannel() throws Exception {
        java.nio.channels.SocketChannel closed = java.nio.channels.SocketChannel.open();
        closed.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.createState(closed))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aStateCreatedFromAnotherThreadSwitchesItsChannelToNonBlocking() throws Exception {
        Connection c = connect();
        assertThat(c.channel().isBlocking()).isFalse();
        assertThat(c.state().isOpen()).isTrue();
        await().until(() -> collection.states().contains(c.state()));
    }

    @Test
    void statisticsCountPendingTasksAndHandles() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("pending"));
        for (int i = 0; i < 3; i++) {
            manual.apply(() -> { });
        }
        assertThat(manual.statistics().tasksPending()).isEqualTo(3);
        assertThat(manual.statistics().alive()).isFalse();
        manual.waitFor();
        manual.callReady();
        assertThat(manual.statistics().tasksPending()).isZero();

        AcceptingHandle handle = collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").build());
        assertThat(collection.statistics().handles()).isEqualTo(1);
        handle.close();
        await().until(() -> collection.statistics().handles() == 0);
    }

    @Test
    void waitForOnAClosedCollectionThrows() {
        WaitStateCollection manual = WaitStateCollection.create("closed-manual");
        manual.close();
        assertThat(manual.isClosed()).isTrue();
        org.assertj.core.api.Assertions.assertThatThrownBy(manual::waitFor)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void loopProcessingOnAClosedCollectionThrows() {
        WaitStateCollection manual = WaitStateCollection.create("closed-loop");
        manual.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(manual::loopProcessing)
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void aStateCreatedRightBeforeCloseIsClosedToo() throws Exception {
        int leaked = 0;
        for (int i = 0; i < 1000; i++) {
            WaitStateCollection c = WaitStateCollection.createAndRun("close-race-" + i);
            Connection conn = connect(c, StateOptions.DEFAULTS, 0);
            c.close();
            if (conn.state().isOpen() || conn.channel().isOpen()) {
                leaked++;
            }
        }
        assertThat(leaked).as("states left open by close(), of 1000").isZero();
    }

    @Test
    void aClosedCollectionRefusesNewStatesAndHandlesNamingItself() throws Exception {
        ServerSocket server = listen();
        java.nio.channels.SocketChannel ch = track(java.nio.channels.SocketChannel.open(server.getLocalSocketAddress()));
        collection.close();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.createState(ch))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining(collectionName)
                .hasMessageContaining("closed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.acceptTcpConnections(0, (h, s) -> { },
                AcceptOptions.builder().address("127.0.0.1").build()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.connectTcp("127.0.0.1",
                server.getLocalPort(), (s, f) -> { }))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
    }

    @Test
    void stopLoopWhileNoLoopRunsHasNoEffectOnALaterLoop() throws Exception {
        WaitStateCollection manual = track(WaitStateCollection.create("stopped-early"));
        manual.stopLoop(); // no loop runs: nothing happens
        CountDownLatch returned = new CountDownLatch(1);
        Thread driver = new Thread(() -> {
            manual.loopProcessing();
            returned.countDown();
        }, "late-driver");
        driver.start();
        CompletableFuture<String> ranOn = new CompletableFuture<>();
        manual.apply(() -> ranOn.complete(Thread.currentThread().getName()));
        try {
            assertThat(ranOn.get(10, TimeUnit.SECONDS)).isEqualTo("late-driver");
            assertThat(returned.getCount()).as("the loop still runs").isEqualTo(1);
        } finally {
            manual.stopLoop();
            assertThat(returned.await(10, TimeUnit.SECONDS)).isTrue();
        }
    }

    @Test
    void interruptingTheLoopThreadStopsTheLoopAndClosesTheCollection() throws Exception {
        Connection c = connect();
        roundTrip();
        Thread loop = onLoop(Thread::currentThread);
        loop.interrupt();
        assertThat(collection.awaitTermination(WAIT)).isTrue();
        assertThat(collection.isClosed()).isTrue();
        assertThat(c.state().isOpen()).isFalse();
    }

    @Test
    void createStateRefusesAnUnconnectedSocket() throws Exception {
        java.nio.channels.SocketChannel unconnected = track(java.nio.channels.SocketChannel.open());
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> collection.createState(unconnected))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
