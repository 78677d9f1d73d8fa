// dev.asyncio.core.WaitStateCollection — public API
public final class WaitStateCollection implements java.util.concurrent.Executor, AutoCloseable {
    static WaitStateCollection create(String name);                                   // make-wait-state-collection
    static WaitStateCollection createAndRun(String name);                             // thread "Loop Collection <name>"
    static WaitStateCollection createAndRun(String name, CallbackErrorPolicy policy);
    static Builder builder(String name);  // .callbackErrorPolicy(p) .daemon(boolean) .nanoClock(LongSupplier) .create() .createAndRun()
    String name();
    CallbackErrorPolicy callbackErrorPolicy();
    void waitFor();  void callReady();  void loopProcessing();  void stopLoop();
    boolean isAlive();   boolean isClosed();   boolean inLoopThread();
    void apply(Runnable function);  void execute(Runnable command);  // queued, never synchronous
    void closeAllStates();          // states and handles die silently, loop keeps running
    void close();                   // stop loop, close everything, release selector (waits for the loop thread)
    boolean awaitTermination(java.time.Duration timeout) throws InterruptedException;
    AcceptingHandle acceptTcpConnections(int port, ConnectionFunction f);
    AcceptingHandle acceptTcpConnections(int port, ConnectionFunction f, AcceptOptions o);
    AcceptingHandle acceptTcpConnections(String service, ConnectionFunction f, AcceptOptions o); // "7000", "http", null = ephemeral
    AcceptingHandle acceptTcpConnectionsRaw(String service, RawConnectionFunction f, AcceptOptions o); // createState=false
    AsyncIoState createState(java.nio.channels.SocketChannel ch);
    AsyncIoState createState(java.nio.channels.SocketChannel ch, StateOptions o);
    AsyncIoState connectTcp(String host, int port, ConnectCallback cb);
    AsyncIoState connectTcp(String host, int port, ConnectCallback cb, ConnectOptions o);
    AsyncIoState connectTcp(String host, String service, ConnectCallback cb, ConnectOptions o);
    java.util.List<AcceptingHandle> handles();     // open handles
    java.util.List<AsyncIoState> states();         // open states
    CollectionStatistics statistics();
}
