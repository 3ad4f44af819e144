package io.pistream.signalling.internal.router;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.pistream.signalling.SessionInfo;

/** The sessions and the index of who is in them stay in step through open, close and take. */
class SessionBookTest {

    private final SessionBook book = new SessionBook();

    @Test
    void closingForgetsTheSessionAndItsMembersIndex() {
        book.open(new Session("s1", "p", "c", "c"));
        book.open(new Session("s2", "p", "c2", "c2"));

        assertEquals("s1", book.close("s1").id());
        assertNull(book.close("s1"));
        assertEquals(List.of(), book.infosOf("c"));
        assertEquals(List.of(new SessionInfo("s2", "p", "c2")), book.infosOf("p"));
        assertEquals(List.of("s2"), book.takeProducing("p"));
        assertEquals(List.of(), book.takeConsuming("c"));
    }

    @Test
    void takingLeavesTheSessionsOpenButOutOfTheIndex() {
        book.open(new Session("s1", "p", "c", "c"));
        book.open(new Session("s2", "p", "c", "p"));

        assertEquals(List.of("s1", "s2"), book.takeProducing("p"));
        assertEquals(List.of(), book.takeProducing("p"));
        assertEquals(2, book.size());
        assertEquals(List.of("s1", "s2"), book.takeConsuming("c"));
        assertEquals(List.of(), book.infosOf("c"));
        // closing a taken session finds nothing left to unindex and still returns it
        assertEquals("s1", book.close("s1").id());
        assertEquals(List.of(new SessionInfo("s2", "p", "c")), book.infos());
    }

    @Test
    void aPeersSessionsAreListedProducingFirstEachOnce() {
        book.open(new Session("s1", "a", "b", "b"));
        book.open(new Session("s2", "b", "a", "a"));
        book.open(new Session("s3", "a", "a", "a"));

        assertEquals(List.of(new SessionInfo("s1", "a", "b"), new SessionInfo("s3", "a", "a"),
                new SessionInfo("s2", "b", "a")), book.infosOf("a"));
        assertEquals(List.of("s1", "s2", "s3"), book.infos().stream().map(SessionInfo::id).toList());
    }

    @Test
    void clearForgetsEverything() {
        book.open(new Session("s1", "p", "c", "c"));
        book.clear();

        assertEquals(0, book.size());
        assertNull(book.get("s1"));
        assertEquals(List.of(), book.takeConsuming("c"));
    }
}
