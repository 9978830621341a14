// Package wsnet carries pwg's sync sessions over WebSocket in
// automerge-repo's own format, to reach devices with no LAN path (through a
// relay) and other Automerge tools (JS automerge-repo peers).
//
// # Wire
//
// One CBOR message of package protocol per binary WebSocket frame, as
// @automerge/automerge-repo-network-websocket sends them. The client sends
// join {senderId, supportedProtocolVersions:["1"], peerMetadata}; the server
// answers peer {senderId, targetId, selectedProtocolVersion:"1",
// peerMetadata}, or error {message} and closes (a first message that is not
// a join, does not decode, or offers no version "1"). Then sync, request,
// doc-unavailable as on the LAN. There is no Noise handshake and no team
// key: nothing on these connections is authenticated or encrypted by pwg
// (use wss:// for encryption in transit).
//
// Frames are read up to MaxMessage (64 MiB; coder/websocket's default of
// 32 KiB is far too small for a first sync). Keepalive is a WebSocket ping
// every 5 s, answered by the peer's library; a peer silent for 20 s is
// dropped.
//
// This device's peer id on these connections is "pwg-" and 16 random hex
// digits, new at each start: never the device fingerprint, which the LAN
// keeps unlinkable for outsiders. Presence (names, sections) is not sent
// to open peers, and ephemeral messages from them are ignored.
//
// # What is shared
//
// Only the documents the user chose (Share; setting relay.shared) cross
// an open connection, in both directions; any other id is doc-unavailable
// and what a peer sends about it is ignored. The team's series document is
// not shared with a meeting: it holds the roster, every meeting's title and
// the open action items. A JS peer reads a shared meeting by its id
// (automerge:<id>); a pwg device that has no LAN path to the team fetches a
// shared meeting by sharing the same id on its side (`pwg share ID`).
//
// # Relay and server
//
// Relay (the client side) offers every shared document when it connects,
// as the sync server serves a document only to peers that ask for it by id;
// a document the relay does not have yet is asked for again every 2 s.
// Server accepts automerge-repo clients and, like the sync server, offers
// nothing: a client gets a shared document by asking for it.
package wsnet
