// Package transport carries pwg's sync messages between two devices of a
// team over any byte stream (a TCP connection, or net.Pipe in tests):
// length-prefixed frames, and inside them a Noise secure channel.
//
// Framing: every frame is a 4-byte big-endian length then the bytes; a
// length over the bound (64 KiB for Noise records) is refused before any
// allocation.
//
// Handshake: Noise_XXpsk0_25519_ChaChaPoly_SHA256 with the prologue
// "pwg secure channel v1". Each device has a long-term Curve25519 key
// (Identity); the PSK is HKDF-SHA256(team key, "pwg noise psk v1"). With the
// PSK mixed in before the first message, a peer without the team key fails
// on the first message it sends or receives and learns neither static key;
// the XX pattern then exchanges and authenticates both static keys, and
// fresh ephemeral keys on both sides make a recorded handshake useless: a
// replayed first message gets an answer under a new ephemeral key, and the
// replayed third message fails to authenticate, so the replayer never
// reaches the message layer.
//
// Records: after the handshake each message is cut into records of at most
// 65,518 bytes, each encrypted with ChaCha20-Poly1305 under the direction's
// key and an implicit counter nonce (so a dropped, reordered or replayed
// record fails). The first plaintext byte of a record says: 0 last chunk of
// a message, 1 more chunks follow, 2 keepalive (no data). Messages are
// bounded (64 MiB by default).
package transport
