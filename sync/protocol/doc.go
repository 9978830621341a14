// Package protocol is the message layer of pwg's peer-to-peer sync:
// automerge-repo's network protocol (version "1"), each message one CBOR
// map with string keys and untagged byte strings, as cbor-x writes them for
// the JS automerge-repo. It knows nothing of framing or encryption: the
// transport package carries each encoded message as one opaque payload, and
// a later WebSocket adapter can carry the same bytes as binary frames.
//
// Every message has type and senderId; all but join carry targetId.
//
//	join              {supportedProtocolVersions, peerMetadata}   first message of the connecting side
//	peer              {selectedProtocolVersion, peerMetadata}     the answer; or error {message} and close
//	sync              {documentId, data}  one Automerge sync message (V1) for the document
//	request           {documentId, data}  like sync from a peer that lacks the document
//	doc-unavailable   {documentId}        answer to request: the sender lacks it too
//	ephemeral         {documentId, sessionId, count, data}  presence, never stored
//	leave             {}                   the sender goes away
//	pwg-saved-doc     {documentId, data}  pwg extension: a whole saved document
//	pwg-sync-deflate  {documentId, data}  pwg extension: a sync message, DEFLATE-compressed
//	pwg-sync-packed   {documentId, data}  pwg extension: a sync message packed (PackSync)
//	pwg-sync-unpackable {documentId}      pwg extension: the dictionary of a packed message is not here
//
// remote-subscription-change and remote-heads-changed are understood (and
// ignored) so that a JS peer does not get dropped for sending them.
//
// Document ids are automerge-repo ids: bs58check of 16 random bytes.
// pwg-saved-doc is sent only to a peer whose peerMetadata lists
// "saved-doc" in pwgFeatures: automerge-go speaks sync V1 only, where a
// document's first sync carries every change one by one; the compacted
// document is many times smaller. The other extensions likewise go only to
// peers announcing sync-deflate, sync-packed; with compact-envelope both
// sides write every message after the handshake in the compact envelope
// (CompactWriter, CompactReader).
package protocol
