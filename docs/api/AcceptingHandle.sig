// dev.asyncio.core.AcceptingHandle — public API
public final class AcceptingHandle {
    WaitStateCollection collection();                 // null once closed
    java.nio.channels.ServerSocketChannel socket();   // null once closed
    int localPort();  java.net.InetSocketAddress localAddress();
    String name();  Object userInfo();  AcceptOptions options();
    boolean isOpen();
    void close();  void close(CollectionCallback callback);   // async, frees the port, leaves connections alone
    HandleStatistics statistics();
    int connectionCount();
    java.util.List<StateSnapshot> connections(int limit);     // first `limit` live connections
    java.util.List<AsyncIoState> states();                    // live states (for graceful shutdown)
}
