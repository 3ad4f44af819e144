package io.pistream.gstreamer.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.annotation.Annotation;

import org.junit.jupiter.api.Test;

class BackoffAndSettingsTest {

    @Test
    void backoffDoublesUpToItsCeilingAndResets() {
        Backoff backoff = new Backoff(500, 3000);
        assertEquals(500, backoff.nextDelay());
        assertEquals(1000, backoff.nextDelay());
        assertEquals(2000, backoff.nextDelay());
        assertEquals(3000, backoff.nextDelay());
        assertEquals(3000, backoff.nextDelay());
        backoff.reset();
        assertEquals(500, backoff.nextDelay());
    }

    @Test
    void defaultsAreValid() {
        HubSettings settings = HubSettings.from(config(10, 500, 30000));
        assertEquals(10_000, settings.lingerMillis());
        assertEquals(10_000, settings.idleCollectMillis());
    }

    @Test
    void badValuesAreRefusedWithTheKeyAndTheReason() {
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> HubSettings.from(config(-1, 5, 1)));
        assertTrue(error.getMessage().contains("linger.seconds must be between 0 and 3600, was -1"), error.getMessage());
        assertTrue(error.getMessage().contains("restart.min.ms must be at least 10, was 5"), error.getMessage());
        assertTrue(error.getMessage().contains("restart.max.ms must not be below restart.min.ms"), error.getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubSettings.from(config(10, 500, 1000, -1)))
                .getMessage().contains("stall.seconds must be between 0 and 3600, was -1"));
        assertEquals(0, HubSettings.from(config(10, 500, 1000, 0)).stallMillis(), "0 switches the watchdog off");
        assertTrue(assertThrows(IllegalArgumentException.class, () -> HubSettings.from(config(10, 500, 1000, 10, -1)))
                .getMessage().contains("idle.collect.seconds must be between 0 and 3600, was -1"));
        assertEquals(0, HubSettings.from(config(10, 500, 1000, 10, 0)).idleCollectMillis(), "0: never");
    }

    static HubConfig config(int linger, int min, int max) {
        return config(linger, min, max, 10);
    }

    static HubConfig config(int linger, int min, int max, int stall) {
        return config(linger, min, max, stall, 10);
    }

    static HubConfig config(int linger, int min, int max, int stall, int idleCollect) {
        return new HubConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HubConfig.class;
            }

            @Override
            public int linger_seconds() {
                return linger;
            }

            @Override
            public int restart_min_ms() {
                return min;
            }

            @Override
            public int restart_max_ms() {
                return max;
            }

            @Override
            public int stall_seconds() {
                return stall;
            }

            @Override
            public int idle_collect_seconds() {
                return idleCollect;
            }

            @Override
            public String video_tiers() {
                return Ladder.DEFAULT_TEXT;
            }
        };
    }
}
