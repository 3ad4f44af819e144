package io.pistream.security.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;

import org.junit.jupiter.api.Test;

class LoginThrottleTest {

    private final MutableClock clock = new MutableClock();
    private final LoginThrottle throttle = new LoginThrottle(5, Duration.ofMinutes(1), Duration.ofMinutes(1), 100, clock);

    @Test
    void sixthFailureInAMinuteRefusesTheAddressForAMinute() {
        for (int i = 0; i < 5; i++) {
            assertFalse(throttle.failure("192.0.2.1"));
        }
        assertFalse(throttle.throttled("192.0.2.1"));
        assertTrue(throttle.failure("192.0.2.1"));
        assertTrue(throttle.throttled("192.0.2.1"));
        assertFalse(throttle.throttled("192.0.2.2"), "other addresses are not affected");
        clock.advance(Duration.ofSeconds(61));
        assertFalse(throttle.throttled("192.0.2.1"));
    }

    @Test
    void slowFailuresAreNotThrottled() {
        for (int i = 0; i < 20; i++) {
            assertFalse(throttle.failure("192.0.2.1"));
            clock.advance(Duration.ofSeconds(15));
        }
        assertFalse(throttle.throttled("192.0.2.1"));
    }

    @Test
    void manyAddressesStayBounded() {
        for (int i = 0; i < 10_000; i++) {
            throttle.failure("10.0." + (i / 256) + "." + (i % 256));
        }
        assertEquals(100, throttle.size());
    }
}
