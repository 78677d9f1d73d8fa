// dev.asyncio.core.AsyncIoState — public API (implementation in progress)
public final class AsyncIoState {
    // ----- accessors (any thread)
    WaitStateCollection collection();           // LispWorks async-io-state-collection
    java.nio.channels.SelectableChannel channel(); // LispWorks async-io-state-object (SocketChannel for TCP)
    AcceptingHandle handle();                   // the handle that accepted it, or null
    String name();            void setName(String name);
    Object userInfo();        void setUserInfo(Object userInfo);
    java.time.Duration readTimeout();  void setReadTimeout(Duration t);   // null = none
    java.time.Duration writeTimeout(); void setWriteTimeout(Duration t);
    int maxRead();            void setMaxRead(int n);
    int oldLength();                            // only meaningful inside a read-with-checking callback
    IoStatus readStatus();    IoStatus writeStatus();
    Throwable readFailure();  Throwable writeFailure();   // cause of ERROR, else null
    java.net.InetSocketAddress localAddress();  java.net.InetSocketAddress peerAddress(); // null if none
    boolean isOpen();
    boolean isReading();      boolean isWriting();
    boolean queueOutput();
    boolean isWritable();     long queuedOutput();        // water marks
    int bufferedDataLength();
    int getBufferedData(byte[] buffer);  int getBufferedData(byte[] buffer, int start, int end); // ISE while an op is active
    StateSnapshot snapshot();
    // ----- operations (any thread; callbacks on the loop thread)
    void readBuffer(byte[] buffer, BufferCallback callback);
    void readBuffer(byte[] buffer, int start, int end, BufferCallback callback);
    void readBuffer(byte[] buffer, int start, int end, BufferCallback callback, OperationOptions options);
    void readWithChecking(BufferCallback callback);
    void readWithChecking(BufferCallback callback, OperationOptions options);
    int discard(int count);   int finish();   int finish(int discard);   // inside the read-with-checking callback only
    void writeBuffer(byte[] buffer, BufferCallback callback);
    void writeBuffer(byte[] buffer, int start, int end, BufferCallback callback);
    void writeBuffer(byte[] buffer, int start, int end, BufferCallback callback, OperationOptions options);
    void waitForInput(StateCallback callback);
    void waitForInput(StateCallback callback, OperationOptions options);
    void abort(BufferCallback abortCallback);                       // Direction.INPUT
    void abort(Direction direction, BufferCallback abortCallback);  // IO: called with (state, null, 0)
    void abortAndClose(boolean keepAlive, StateCallback closeCallback);
    int close();  int close(boolean keepAlive);                     // returns buffered data length
    void closeGracefully(java.time.Duration timeout, StateCallback closedCallback); // stop reading, write what was accepted, then close
    ShutdownOutcome shutdown(Direction direction);
    ShutdownOutcome shutdown(Direction direction, boolean abort, ShutdownCallback callback);
}
