package dev.asyncio.sample.kv.resp;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;

class ReplyBufferTest {

    @Test
    void encodesEveryReplyType() {
        ReplyBuffer reply = new ReplyBuffer(1024);
        reply.simple("OK").error("ERR bad\r\nthing").integer(-42).bulk("hé").nullBulk().arrayHeader(2).nullArray();
        assertThat(new String(reply.take(), StandardCharsets.UTF_8))
                .isEqualTo("+OK\r\n-ERR bad  thing\r\n:-42\r\n$3\r\nhé\r\n$-1\r\n*2\r\n*-1\r\n");
        assertThat(reply.isEmpty()).isTrue();
    }

    @Test
    void refusesToGrowPastItsLimit() {
        ReplyBuffer reply = new ReplyBuffer(16);
        reply.simple("OK");
        assertThatThrownBy(() -> reply.bulk(new byte[32])).isInstanceOf(ReplyLimitExceededException.class);
    }
}
