package io.pistream.signalling.internal.router;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import io.pistream.signalling.PeerInfo;
import io.pistream.signalling.protocol.MessageCodec;
import io.pistream.signalling.protocol.OutgoingMessage;

/** What the router tells about its peers: the lists peers ask for, and the snapshots for the shell and REST. */
final class PeerListing {

    private final MessageCodec codec;
    /** The router's peers in connection order, read only here. */
    private final Collection<Peer> peers;
    private final SessionBook sessions;

    PeerListing(MessageCodec codec, Collection<Peer> peers, SessionBook sessions) {
        this.codec = codec;
        this.peers = peers;
        this.sessions = sessions;
    }

    /** @return the producers (or consumers) with their meta, for listProducers (listConsumers) */
    List<OutgoingMessage.PeerEntry> entries(boolean producers) {
        List<OutgoingMessage.PeerEntry> entries = new ArrayList<>();
        for (Peer peer : peers) {
            if (producers ? peer.status.producing() : peer.status.consuming()) {
                entries.add(new OutgoingMessage.PeerEntry(peer.id, peer.status.meta()));
            }
        }
        return entries;
    }

    /** @return a snapshot of the peers, in connection order */
    List<PeerInfo> infos() {
        List<PeerInfo> infos = new ArrayList<>(peers.size());
        for (Peer peer : peers) {
            List<String> roles = peer.status.roles().stream().map(r -> r.wireName()).toList();
            infos.add(new PeerInfo(peer.id, roles, codec.toJson(peer.status.meta()), peer.version.wireName(),
                    sessions.infosOf(peer.id), peer.connection.remoteAddress()));
        }
        return infos;
    }
}
