package io.pistream.signalling.internal.router;

import static io.pistream.signalling.internal.router.MessageRateLimit.Verdict.ACCEPT;
import static io.pistream.signalling.internal.router.MessageRateLimit.Verdict.DISCONNECT;
import static io.pistream.signalling.internal.router.MessageRateLimit.Verdict.DROP;
import static io.pistream.signalling.internal.router.MessageRateLimit.Verdict.DROP_AND_TELL;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class MessageRateLimitTest {

    private static final long MS = TimeUnit.MILLISECONDS.toNanos(1);

    @Test
    void aBurstThenTheRate() {
        long t = 1_000_000 * MS;
        MessageRateLimit limit = new MessageRateLimit(50, 10, t);
        for (int i = 0; i < 10; i++) {
            assertEquals(ACCEPT, limit.offer(t), "burst " + i);
        }
        assertEquals(DROP_AND_TELL, limit.offer(t));
        assertEquals(DROP, limit.offer(t));
        // 20 ms later one more token (50 a second)
        assertEquals(ACCEPT, limit.offer(t + 20 * MS));
        assertEquals(DROP, limit.offer(t + 20 * MS));
        // at the rate, every message passes
        long now = t + 20 * MS;
        for (int i = 0; i < 100; i++) {
            now += 20 * MS;
            assertEquals(ACCEPT, limit.offer(now), "message " + i);
        }
        // idle: the bucket fills up to the burst, not beyond
        now += 60_000 * MS;
        for (int i = 0; i < 10; i++) {
            assertEquals(ACCEPT, limit.offer(now));
        }
        // a new one-second window of drops: told again
        assertEquals(DROP_AND_TELL, limit.offer(now));
    }

    @Test
    void aFloodIsDisconnected() {
        long t = 0;
        MessageRateLimit limit = new MessageRateLimit(50, 50, t);
        for (int i = 0; i < 50; i++) {
            limit.offer(t);
        }
        assertEquals(DROP_AND_TELL, limit.offer(t));
        int dropped = 1;
        MessageRateLimit.Verdict verdict;
        while ((verdict = limit.offer(t + dropped * 1000)) == DROP) { // one a microsecond: a flood
            dropped++;
        }
        assertEquals(DISCONNECT, verdict);
        // the few that the refill let through in these 0.5 ms do not count as drops
        assertEquals(MessageRateLimit.FLOOD_FACTOR * 50, dropped, 1.0);
    }
}
