package dev.asyncio.sample.kv.command;

import java.util.concurrent.atomic.AtomicLong;

/**
 * What the server knows about one client connection: its id, the name and library it announced, its addresses and
 * timestamps, and whether the connection must close once the pending replies are written ({@code QUIT}).
 *
 * <p>Used on the connection's loop thread only.
 */
public final class ClientSession {

    private static final AtomicLong IDS = new AtomicLong();

    private final long id = IDS.incrementAndGet();
    private final String address;
    private final String localAddress;
    private final long createdAt;
    private long lastCommandAt;
    private String lastCommand = "NULL";
    private String name = "";
    private String libraryName = "";
    private String libraryVersion = "";
    private boolean closeAfterReply;
    private boolean authenticated;

    /**
     * @param address      the peer as {@code host:port}
     * @param localAddress the local end as {@code host:port}
     * @param now          the time of connection, in milliseconds
     */
    public ClientSession(String address, String localAddress, long now) {
        this.address = address;
        this.localAddress = localAddress;
        this.createdAt = now;
        this.lastCommandAt = now;
    }

    /** @return the client's id, unique in this process (Redis' {@code CLIENT ID}) */
    public long id() {
        return id;
    }

    /** @return the peer as {@code host:port} */
    public String address() {
        return address;
    }

    /** @return the local end as {@code host:port} */
    public String localAddress() {
        return localAddress;
    }

    /** @return the connection time in milliseconds */
    public long createdAt() {
        return createdAt;
    }

    /** @return when the last command arrived, in milliseconds */
    public long lastCommandAt() {
        return lastCommandAt;
    }

    /** @return the lower-case name of the last command, {@code NULL} before the first */
    public String lastCommand() {
        return lastCommand;
    }

    void commandStarted(String command, long now) {
        this.lastCommand = command;
        this.lastCommandAt = now;
    }

    /** @return the name set with {@code CLIENT SETNAME}, empty when none */
    public String name() {
        return name;
    }

    void setName(String name) {
        this.name = name;
    }

    /** @return the library name from {@code CLIENT SETINFO LIB-NAME}, empty when none */
    public String libraryName() {
        return libraryName;
    }

    void setLibraryName(String libraryName) {
        this.libraryName = libraryName;
    }

    /** @return the library version from {@code CLIENT SETINFO LIB-VER}, empty when none */
    public String libraryVersion() {
        return libraryVersion;
    }

    void setLibraryVersion(String libraryVersion) {
        this.libraryVersion = libraryVersion;
    }

    /** @return whether the client gave the password with {@code AUTH} or {@code HELLO ... AUTH} */
    public boolean authenticated() {
        return authenticated;
    }

    void authenticate() {
        this.authenticated = true;
    }

    /** @return whether the connection closes after writing the replies given so far */
    public boolean closeAfterReply() {
        return closeAfterReply;
    }

    /** Asks the connection to close once the replies given so far are written. */
    public void requestCloseAfterReply() {
        this.closeAfterReply = true;
    }
}
