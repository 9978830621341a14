// Package lansync keeps the minutes of a team identical on every laptop in the
// room, with no server: peer-to-peer over the LAN, found by mDNS or by
// address, over a channel only devices holding the team key can open.
//
// # Layers
//
//	discovery  mDNS adverts (_pwg._tcp) with opaque tokens; manual host:port peers
//	transport  4-byte length-prefixed frames; Noise XXpsk0 handshake; encrypted records
//	protocol   automerge-repo's message layer: CBOR maps (join, peer, sync, request,
//	           doc-unavailable, ephemeral, leave) plus pwg-saved-doc
//	lansync    this package: the engine (Node, session), presence, invitations
//
// Each layer knows nothing of the one above: transport carries opaque
// messages over any io.ReadWriteCloser (TCP, or net.Pipe in tests), and the
// message layer can be carried as WebSocket binary frames instead, to speak
// to JS automerge-repo peers.
//
// # Trust
//
// Office Wi-Fi is not private, so nothing is trusted that the team key does
// not vouch for.
//
//   - A team key of 256 random bits is made with the team and kept in the
//     workspace (setting team.key.<series id>). An invitation string (Invite;
//     QR-friendly, with a checksum) carries the team id, the key and the
//     inviter's addresses; Join stores them. Whoever holds an invitation is a
//     member: share it like a password.
//
//   - Each device has its own long-term Curve25519 key (setting
//     sync.device_key). Its fingerprint — 16 base32 characters of the key's
//     SHA-256 — is shown to people and is the device's peer id on the wire.
//
//   - Every connection starts with Noise_XXpsk0_25519_ChaChaPoly_SHA256, PSK =
//     HKDF-SHA256(team key, "pwg noise psk v1"). With the PSK mixed in before
//     the first message, a device without the key fails at the first message
//     and learns nothing, not even a static key; with it, both static keys are
//     exchanged and authenticated. Fresh ephemeral keys on both sides make a
//     recorded handshake worthless: a replay fails at the third message,
//     before any message-layer byte. Records are ChaCha20-Poly1305 with
//     counter nonces, so a replayed, reordered or altered record ends the
//     connection.
//
//   - The join/peer exchange must name the fingerprint of the key just
//     authenticated, and every later message must carry that sender id: a
//     device cannot speak for another.
//
//   - mDNS adverts carry the port and two tokens derived from the team key
//     (team; team + device key): no team name, meeting title or person's
//     name, and nothing an outsider can link to a fingerprint.
//
//   - A join code (package joincode; Node.InviteByCode, JoinByCode) is the
//     password of a SPAKE2 exchange run on the node's listener (a connection
//     starting with joincode.Magic instead of a Noise frame); it hands the
//     invitation and the roster to a device that proved it knows the code.
//     One use, 10 minutes, three tries.
//
//   - The roster (RosterID: a document derived from the team id, synced like
//     the others) lists every device, who let it in and when, and the
//     revoked ones. Revoke marks a device revoked and rotates the team key
//     (an epoch count; the old keys are kept). Connected devices get the new
//     key as a pwg-team-key message over their Noise channel and pass it on;
//     a device that comes back with an old key is accepted by a responder
//     (transport.Config.OldKeys) only to be handed the new key, and only if
//     it is on the roster and not revoked; a device whose dial fails its
//     handshake retries with the old keys to hand the new one the same way.
//     A revoked device is refused with any key. It keeps what it had synced
//     before.
//
// What this does not do: a member can write anything into the team's
// documents, as in any shared document; a device offline during a
// revocation that meets the revoked device before any other still syncs
// with it (both hold the old key); two revocations at once give two keys,
// of which devices keep the greater (a device holding only the other one
// waits for a device that holds both).
//
// # Sync
//
// After join/peer, each side offers every document of its team (as
// automerge-repo does by default): a sync message per document, from the
// per-peer sync state saved at the end of the last connection (only the
// shared heads are kept, so a reconnect sends a Bloom filter of what changed
// since, not of the whole history). A document the peer lacks is created
// empty and filled by the sync; a request for one this side lacks is
// answered doc-unavailable.
//
// automerge-go speaks sync V1 only, where a peer that has none of a long
// document would get every change one by one (hundreds of KB for a meeting
// typed keystroke by keystroke). So when a sync message would exceed 32 KiB
// and the peer announced the saved-doc feature in its join/peer metadata,
// the compacted document (Save) is sent instead as pwg-saved-doc; the
// receiver merges it and the V1 exchange then only confirms heads. That is
// done only for a peer known to hold none of the document (no shared heads
// saved, no heads in its messages): a peer that shares history gets the
// changes it lacks, never the whole history again. A sync message of 16 KiB
// or more (a merge after time offline) goes packed (pwg-sync-packed,
// protocol.PackSync: its changes laid out by column as in a saved document,
// then DEFLATE) against the changes before the heads both peers share,
// which the receiver rebuilds from its own copy (or answers
// pwg-sync-unpackable and gets it again without), to a peer that announced
// sync-packed. One over 1 KiB goes DEFLATE-compressed (pwg-sync-deflate):
// packing costs 2.5 times as much time, which the many mid-sized messages of
// a meeting in progress would pay on every peer. Between pwg peers that announce
// compact-envelope, every message after the handshake goes in the compact
// envelope (protocol.CompactWriter): a type byte, the document as an index
// into the ids the connection has carried, the data.
//
// Each connection has one worker goroutine owning its sync states: it
// handles the peer's messages in order, and on each change of a document it
// sends at once. Nothing a person waits for is debounced: a burst of edits
// that lands while the worker is busy is coalesced into one message per
// document.
//
// Relaying: changes merged from peer P must reach peers that are not
// connected to P, so they are relayed at once to those. Every device lists
// the devices it is connected to in its ephemeral data; a peer that is
// connected to P gets P's changes first-hand, so the relay to it waits
// Options.RelayDelay (100 ms) as a safety net for stale knowledge, and by
// then it is usually an empty exchange. In a mesh of 8 this cuts the
// messages per keystroke from about 60 to about 20.
//
// # Open connections
//
// Node.AttachOpen runs the same sessions with an automerge-repo peer that
// nobody authenticates (package wsnet: a relay, or a JS client over
// WebSocket): no Noise, the plain join/peer exchange, a random peer id
// ("pwg-…", never the fingerprint), no presence. Only documents the
// OpenPolicy shares cross it, in both directions; any other is
// doc-unavailable. A relay client offers its shared documents at connect
// and re-asks, every 2 s, for one the relay did not have yet.
//
// # Presence
//
// Presence is relayed across hops (presencehops.go): a device passes the
// presences it receives on to its other connections, so everyone in the
// meeting is seen; PeerInfo.Via names the first hop to a device reached
// only through others.
//
// Each device sends its presence (package presence: name, role, section,
// and the facilitator's current section) as ephemeral messages, on change
// and to each new peer. It lives only in memory (Node.Peers, Node.Subscribe)
// and is never written into a document.
//
// # Faults
//
// A frame over its bound, a record that fails authentication, a message
// that does not decode or has an unknown type, a sync message or saved
// document that does not apply, a peer sending more than its rate (500
// messages/s sustained) or offering more than 10,000 new documents, one
// that sends nothing (not even the keepalive sent every 5 s) for 20 s, or
// one that does not read for 30 s: the connection is dropped, the reason is
// logged (log/slog) and reported in PeerInfo.Reason. Other connections and
// the documents are untouched; manual peers are redialed with backoff.
//
// Two devices that dial each other at once keep the connection dialed by the
// device with the smaller fingerprint.
//
// # Status
//
// Node.Status is what a running node sees: this device and its peers.
// `pwg peers` asks the pwg that runs the node over its control socket
// (pwg.sock); nothing is written to disk for it.
package lansync
