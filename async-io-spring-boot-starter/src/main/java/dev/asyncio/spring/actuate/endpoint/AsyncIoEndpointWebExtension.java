package dev.asyncio.spring.actuate.endpoint;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.actuate.endpoint.web.WebEndpointResponse;
import org.springframework.boot.actuate.endpoint.web.annotation.EndpointWebExtension;

/**
 * HTTP status codes for the {@link AsyncIoEndpoint}: 404 for an unknown handle on every operation (a plain delete or
 * write operation would answer 204), 409 when a handle cannot be re-opened (adopted from code, or its port is
 * taken), 400 for a bad parameter (from the endpoint's own checks).
 */
@EndpointWebExtension(endpoint = AsyncIoEndpoint.class)
public class AsyncIoEndpointWebExtension {

    private static final int STATUS_CONFLICT = 409;

    private final AsyncIoEndpoint delegate;

    /** @param delegate the technology-independent endpoint */
    public AsyncIoEndpointWebExtension(AsyncIoEndpoint delegate) {
        this.delegate = delegate;
    }

    /** @return every collection and handle */
    @ReadOperation
    public WebEndpointResponse<AsyncIoEndpoint.AsyncIoDescriptor> overview() {
        return new WebEndpointResponse<>(this.delegate.overview());
    }

    /**
     * @param name a handle name
     * @param limit the most connections to list
     * @return the handle with its first connections, or 404
     */
    @ReadOperation
    public WebEndpointResponse<AsyncIoEndpoint.HandleDetails> handle(@Selector String name, @Nullable Integer limit) {
        return orNotFound(this.delegate.handle(name, limit));
    }

    /**
     * @param name a handle name
     * @param connections keep, graceful or abort
     * @return the closed handle, or 404
     */
    @DeleteOperation
    public WebEndpointResponse<AsyncIoEndpoint.HandleDescriptor> close(@Selector String name,
            @Nullable String connections) {
        return orNotFound(this.delegate.close(name, connections));
    }

    /**
     * @param name a handle name
     * @return the re-opened handle, 404, or 409 with the reason when it cannot be bound
     */
    @WriteOperation
    public WebEndpointResponse<Object> reopen(@Selector String name) {
        try {
            AsyncIoEndpoint.HandleDescriptor handle = this.delegate.reopen(name);
            return (handle != null) ? new WebEndpointResponse<>(handle)
                    : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        catch (RuntimeException ex) {
            return new WebEndpointResponse<>(Map.of("handle", name, "error", String.valueOf(ex.getMessage())),
                    STATUS_CONFLICT);
        }
    }

    /**
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the client, or 404
     */
    @ReadOperation
    public WebEndpointResponse<ClientDescriptor> client(@Selector String kind, @Selector String name) {
        return orNotFound(this.delegate.client(kind, name));
    }

    /**
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the disconnected client, 404, or 409 with the reason when it is not started or is closed
     */
    @DeleteOperation
    public WebEndpointResponse<Object> disconnectClient(@Selector String kind, @Selector String name) {
        return clientAction(name, () -> this.delegate.disconnectClient(kind, name));
    }

    /**
     * @param kind must be {@code clients}
     * @param name a client name
     * @return the client, 404, or 409 with the reason when it is closed or cannot start
     */
    @WriteOperation
    public WebEndpointResponse<Object> reconnectClient(@Selector String kind, @Selector String name) {
        return clientAction(name, () -> this.delegate.reconnectClient(kind, name));
    }

    private static WebEndpointResponse<Object> clientAction(String name,
            java.util.function.Supplier<@Nullable ClientDescriptor> action) {
        try {
            ClientDescriptor client = action.get();
            return (client != null) ? new WebEndpointResponse<>(client)
                    : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
        }
        catch (IllegalStateException ex) {
            return new WebEndpointResponse<>(Map.of("client", name, "error", String.valueOf(ex.getMessage())),
                    STATUS_CONFLICT);
        }
    }

    private static <T> WebEndpointResponse<T> orNotFound(@Nullable T body) {
        return (body != null) ? new WebEndpointResponse<>(body)
                : new WebEndpointResponse<>(WebEndpointResponse.STATUS_NOT_FOUND);
    }
}
