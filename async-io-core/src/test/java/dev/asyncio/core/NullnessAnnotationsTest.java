package dev.asyncio.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;

import org.jspecify.annotations.NullMarked;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

/**
 * The public package is {@code @NullMarked} and says where {@code null} is allowed, as tools (NullAway, Kotlin) read
 * it; the annotations are an optional dependency, so they matter at compile time only.
 */
class NullnessAnnotationsTest {

    @Test
    void thePublicPackageIsNullMarked() {
        assertThat(AsyncIoState.class.getPackage().isAnnotationPresent(NullMarked.class)).isTrue();
    }

    @Test
    void nullMeaningNilIsMarkedNullable() throws Exception {
        assertThat(AsyncIoState.class.getMethod("readTimeout").getAnnotatedReturnType()
            .isAnnotationPresent(Nullable.class)).as("readTimeout(): null = no timeout").isTrue();
        assertThat(AsyncIoState.class.getMethod("setReadTimeout", Duration.class).getAnnotatedParameterTypes()[0]
            .isAnnotationPresent(Nullable.class)).isTrue();
        assertThat(ConnectCallback.class.getMethod("call", AsyncIoState.class, Throwable.class)
            .getAnnotatedParameterTypes()[1].isAnnotationPresent(Nullable.class)).as("failure: null on success")
            .isTrue();
        assertThat(AsyncIoState.class.getMethod("collection").getAnnotatedReturnType()
            .isAnnotationPresent(Nullable.class)).as("collection() is never null").isFalse();
    }
}
