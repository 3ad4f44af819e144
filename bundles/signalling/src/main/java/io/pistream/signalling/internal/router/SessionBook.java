package io.pistream.signalling.internal.router;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.pistream.signalling.SessionInfo;

/**
 * The open sessions in start order, with an index of the sessions each peer is producer or consumer in, kept in
 * step with them. Not thread-safe, like the router that owns it.
 */
final class SessionBook {

    private final Map<String, Session> sessions = new LinkedHashMap<>();
    /** Peer id → ids of the sessions where it is the producer. */
    private final Map<String, Set<String>> producerSessions = new HashMap<>();
    /** Peer id → ids of the sessions where it is the consumer. */
    private final Map<String, Set<String>> consumerSessions = new HashMap<>();

    void open(Session session) {
        sessions.put(session.id(), session);
        consumerSessions.computeIfAbsent(session.consumer(), k -> new LinkedHashSet<>()).add(session.id());
        producerSessions.computeIfAbsent(session.producer(), k -> new LinkedHashSet<>()).add(session.id());
    }

    /** @return the session, now forgotten and out of the index, or {@code null} if it was not open */
    Session close(String sessionId) {
        Session session = sessions.remove(sessionId);
        if (session != null) {
            unindex(consumerSessions, session.consumer(), sessionId);
            unindex(producerSessions, session.producer(), sessionId);
        }
        return session;
    }

    Session get(String sessionId) {
        return sessions.get(sessionId);
    }

    /**
     * @return the ids of the sessions where the peer is producer, in start order (empty if none); the index forgets
     *         them, the sessions stay open until closed
     */
    List<String> takeProducing(String peerId) {
        return take(producerSessions, peerId);
    }

    /** @return as {@link #takeProducing}, for the sessions where the peer is consumer */
    List<String> takeConsuming(String peerId) {
        return take(consumerSessions, peerId);
    }

    int size() {
        return sessions.size();
    }

    void clear() {
        sessions.clear();
        producerSessions.clear();
        consumerSessions.clear();
    }

    /** @return a snapshot of the sessions, in start order */
    List<SessionInfo> infos() {
        List<SessionInfo> infos = new ArrayList<>(sessions.size());
        for (Session session : sessions.values()) {
            infos.add(info(session));
        }
        return infos;
    }

    /** @return a snapshot of the sessions the peer is a member of: those it produces for first, each once */
    List<SessionInfo> infosOf(String peerId) {
        List<SessionInfo> memberOf = new ArrayList<>();
        addInfos(memberOf, producerSessions.get(peerId));
        addInfos(memberOf, consumerSessions.get(peerId));
        return memberOf;
    }

    private void addInfos(List<SessionInfo> into, Set<String> ids) {
        if (ids == null) {
            return;
        }
        for (String id : ids) {
            Session session = sessions.get(id);
            if (session != null && into.stream().noneMatch(s -> s.id().equals(id))) {
                into.add(info(session));
            }
        }
    }

    private static SessionInfo info(Session session) {
        return new SessionInfo(session.id(), session.producer(), session.consumer());
    }

    private static List<String> take(Map<String, Set<String>> index, String peerId) {
        Set<String> ids = index.remove(peerId);
        return ids == null ? List.of() : new ArrayList<>(ids);
    }

    private static void unindex(Map<String, Set<String>> index, String peerId, String sessionId) {
        Set<String> ids = index.get(peerId);
        if (ids != null) {
            ids.remove(sessionId);
            if (ids.isEmpty()) {
                index.remove(peerId);
            }
        }
    }
}
