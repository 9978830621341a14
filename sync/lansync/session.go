package lansync

import (
	"bytes"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"

	"github.com/automerge/automerge-go"
	"github.com/pwg-team/pwg/crdt/amsafe"
	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/storage"
	"github.com/pwg-team/pwg/sync/presence"
	"github.com/pwg-team/pwg/sync/protocol"
)

var (
	errLeft      = errors.New("peer left")
	errClosing   = errors.New("this device is closing the connection")
	errDuplicate = errors.New("duplicate connection to the same device")
	errSelf      = errors.New("connected to itself")
)

// savedDocThreshold: a sync message above this size (a long stream of
// changes, or the Bloom filter of thousands of them) is replaced by the
// whole saved document when that is smaller (see protocol.TypeSavedDoc).
const savedDocThreshold = 4 << 10

// deflateThreshold: a sync message above this size goes compressed to a
// peer that accepts it (protocol.TypeSyncDeflate).
const deflateThreshold = 1 << 10

// packMin: a sync message this long (a merge after time offline) is packed
// against the history both peers share. Packing costs 2.5 times DEFLATE's
// time (0.23 against 0.09 ms for 7 KB of keystrokes) and the dictionary
// ~1 ms more: the shorter messages of a meeting in progress go DEFLATE-
// compressed, which kept edit-to-visible on 8 busy peers where it was.
const packMin = 16 << 10

type outItem struct {
	b          []byte            // an encoded message (nil and m nil: keepalive)
	m          *protocol.Message // a message the writer encodes (compact envelope)
	closeAfter bool
}

// docSync is the sync state of one document with the session's peer.
type docSync struct {
	doc   Doc
	ss    *automerge.SyncState
	dirty bool // shared heads changed since last persisted
	// peerHas: the peer is known to hold some of the document (its sync
	// messages named heads, or the saved sync state has shared heads).
	// Then it gets what it lacks as changes, never the saved document.
	peerHas bool
	// used is when a message of this document last crossed (dropIdle).
	used time.Time
	// sent counts the sync messages sent for the document.
	sent int
}

// session is one authenticated connection to a device of the team. A
// reader goroutine decodes messages into inbox, a writer goroutine writes
// out, and the worker (run) owns every sync state, so documents are synced
// one message at a time per peer.
type session struct {
	n         *Node
	conn      MessageConn
	initiator bool
	peerID    string
	token     string
	addr      string
	savedDoc  bool
	deflate   bool
	packed    bool
	compact   bool // messages after the handshake go in the compact envelope
	relayPres bool // the peer accepts relayed presences (an older pwg drops the connection)
	started   time.Time
	// key names the session in the node's maps: the peer id of a team
	// device, "relay:URL" or "ws:ID@ADDR" for an open connection.
	key string
	// selfID is this device's peer id on this connection.
	selfID string
	// stateKey keys the saved sync states ("" keeps none).
	stateKey string
	// open is the sharing policy of an unauthenticated automerge-repo
	// peer; nil for a device of the team.
	open *OpenPolicy

	out        chan outItem
	inbox      chan *protocol.Message
	wake       chan struct{}
	dmu        sync.Mutex
	dirty      map[string]struct{}
	presDirty  atomic.Bool
	presSent   []byte                          // the presence last sent (owned by the worker)
	hopsSent   bool                            // the presences of other devices went to this peer (worker only)
	remote     atomic.Pointer[map[string]bool] // devices the peer says it is connected to
	deferred   map[string]struct{}             // relays waiting for RelayDelay (under dmu)
	relayTimer *time.Timer                     // under dmu
	lastSend   atomic.Int64
	lastActive atomic.Int64

	done     chan struct{}
	finished chan struct{} // closed once the session is over and its state saved
	failOnce sync.Once
	reason   error
	wg       sync.WaitGroup

	// owned by the worker
	docs    map[string]*docSync
	refused map[string]bool // documents this peer sent an unrelated copy of
	noDict  map[string]bool // documents the peer could not build a dictionary for
	// Documents unloaded here that the peer lacks something of are synced
	// one at a time (offerNext): loading a year of meetings at once took
	// the serving process to 630 MB while a new device synced.
	waiting   []string // still to offer, in order
	offering  string   // the one being synced ("" none)
	newDocs   int
	ephemeral map[string]uint64
}

func newSession(n *Node, c MessageConn, initiator bool, peerID string, meta *protocol.PeerMetadata, addr string) *session {
	s := &session{
		n: n, conn: c, initiator: initiator, peerID: peerID, addr: addr,
		key: peerID, selfID: n.peerID, stateKey: peerID,
		savedDoc:  meta.Has(protocol.FeatureSavedDoc),
		deflate:   meta.Has(protocol.FeatureDeflate),
		packed:    meta.Has(protocol.FeaturePacked),
		relayPres: meta.Has(protocol.FeaturePresenceRelay),
		started:   time.Now(),
		out:       make(chan outItem, 64),
		inbox:     make(chan *protocol.Message, 64),
		wake:      make(chan struct{}, 1),
		dirty:     map[string]struct{}{},
		done:      make(chan struct{}),
		finished:  make(chan struct{}),
		docs:      map[string]*docSync{},
		refused:   map[string]bool{},
		noDict:    map[string]bool{},
		ephemeral: map[string]uint64{},
	}
	// The peer writes and reads the compact envelope: every pwg that knows
	// the feature announces it.
	s.compact = meta.Has(protocol.FeatureCompact)
	now := time.Now().UnixNano()
	s.lastSend.Store(now)
	s.lastActive.Store(now)
	return s
}

// fail ends the session for reason (the first reason wins).
func (s *session) fail(reason error) {
	s.failOnce.Do(func() {
		s.reason = reason
		close(s.done)
		s.conn.Close()
	})
}

func (s *session) failed() bool {
	select {
	case <-s.done:
		return true
	default:
		return false
	}
}

// markDirty asks the worker to sync a document (coalescing bursts: a
// document marked twice before the worker gets to it is synced once).
func (s *session) markDirty(docID string) {
	s.dmu.Lock()
	s.dirty[docID] = struct{}{}
	s.dmu.Unlock()
	s.poke()
}

// connectedTo reports whether the peer said it is connected to device id.
func (s *session) connectedTo(id string) bool {
	m := s.remote.Load()
	return m != nil && (*m)[id]
}

// deferDirty syncs a document after d, coalescing every relay due meanwhile.
func (s *session) deferDirty(docID string, d time.Duration) {
	s.dmu.Lock()
	defer s.dmu.Unlock()
	if s.deferred == nil {
		s.deferred = map[string]struct{}{}
	}
	s.deferred[docID] = struct{}{}
	if s.relayTimer == nil {
		s.relayTimer = time.AfterFunc(d, func() {
			s.dmu.Lock()
			for id := range s.deferred {
				s.dirty[id] = struct{}{}
			}
			clear(s.deferred)
			s.relayTimer = nil
			s.dmu.Unlock()
			s.poke()
		})
	}
}

func (s *session) poke() {
	select {
	case s.wake <- struct{}{}:
	default:
	}
}

// start runs the reader and writer; run is the worker.
func (s *session) start() {
	s.wg.Add(2)
	go s.reader()
	go s.writer()
}

func (s *session) reader() {
	defer s.wg.Done()
	o := &s.n.opts
	msgs := newBucket(o.MessageRate, float64(o.MessageBurst))
	bytes := newBucket(float64(o.ByteRate), float64(o.ByteBurst))
	var cr *protocol.CompactReader
	if s.compact {
		cr = protocol.NewCompactReader()
	}
	for {
		b, err := s.conn.Recv()
		if err != nil {
			s.fail(fmt.Errorf("bad frame or connection closed: %w", err))
			return
		}
		if !msgs.take(1) || !bytes.take(float64(len(b))) {
			s.fail(fmt.Errorf("flood: peer sends more than %g messages or %d bytes per second", o.MessageRate, o.ByteRate))
			return
		}
		var m *protocol.Message
		if cr != nil {
			m, err = cr.Decode(b, s.selfID, s.peerID)
		} else {
			m, err = protocol.Decode(b)
		}
		if err != nil {
			s.fail(fmt.Errorf("undecodable message: %w", err))
			return
		}
		s.n.stats.msgsIn.Add(1)
		s.n.stats.bytesIn.Add(int64(len(b)))
		select {
		case s.inbox <- m:
			s.lastActive.Store(time.Now().UnixNano())
		case <-s.done:
			return
		}
	}
}

func (s *session) writer() {
	defer s.wg.Done()
	// One stall timer, armed around each write (not one made per message).
	t := time.AfterFunc(s.n.opts.WriteTimeout, func() {
		s.fail(fmt.Errorf("stalled: peer did not take a message within %v", s.n.opts.WriteTimeout))
	})
	t.Stop()
	var cw *protocol.CompactWriter
	if s.compact {
		cw = protocol.NewCompactWriter()
	}
	for {
		select {
		case <-s.done:
			return
		case it := <-s.out:
			t.Reset(s.n.opts.WriteTimeout)
			var err error
			b := it.b
			switch {
			case it.m != nil:
				if b, err = cw.Encode(it.m, s.selfID, s.peerID); err == nil {
					s.n.stats.bytesOut.Add(int64(len(b)))
				}
			case b != nil && cw != nil:
				b = append([]byte{0}, b...) // encoded already (leave): as CBOR
			}
			if err == nil && b == nil {
				err = s.conn.SendKeepalive()
			} else if err == nil {
				err = s.conn.Send(b)
			}
			t.Stop()
			if err != nil {
				s.fail(fmt.Errorf("write: %w", err))
				return
			}
			s.lastSend.Store(time.Now().UnixNano())
			if it.closeAfter {
				s.fail(errClosing)
				return
			}
		}
	}
}

// send queues one message for the writer.
func (s *session) send(m *protocol.Message) error {
	m.SenderID = s.selfID
	return s.queue(m)
}

// queue encodes m, addressed to the peer, and queues it for the writer.
func (s *session) queue(m *protocol.Message) error {
	m.TargetID = s.peerID
	it := outItem{m: m}
	if !s.compact {
		b, err := protocol.Encode(m)
		if err != nil {
			return err
		}
		s.n.stats.bytesOut.Add(int64(len(b)))
		it = outItem{b: b}
	}
	s.n.stats.msgsOut.Add(1)
	select {
	case s.out <- it:
		return nil
	case <-s.done:
		return s.reason
	}
}

// leave queues a leave message and closes the connection once it is written.
func (s *session) leave() {
	b, err := protocol.Encode(&protocol.Message{Type: protocol.TypeLeave, SenderID: s.selfID, TargetID: s.peerID})
	if err != nil {
		s.fail(errClosing)
		return
	}
	select {
	case s.out <- outItem{b: b, closeAfter: true}:
	default:
		s.fail(errClosing)
	}
}

// run is the worker: it announces every document, then answers the peer's
// messages and syncs documents as they change, until the session fails.
func (s *session) run() {
	defer s.finish()
	if err := s.announce(); err != nil {
		s.fail(err)
		return
	}
	o := &s.n.opts
	tick := time.NewTicker(o.KeepaliveInterval)
	defer tick.Stop()
	lastPersist := time.Now()
	for {
		var err error
		select {
		case <-s.done:
			return
		case m := <-s.inbox:
			err = s.handle(m)
			if err == nil && s.offering != "" {
				if _, ok := s.docs[s.offering]; !ok {
					err = s.offerNext() // it was dropped
				}
			}
		case <-s.wake:
			// Take in what the peer already sent first: it may say the
			// peer has the changes this flush would relay to it.
			err = s.drainInbox()
			if err == nil {
				err = s.flushDirty()
			}
		case now := <-tick.C:
			last := max(s.conn.LastRecv().UnixNano(), s.lastActive.Load())
			if idle := now.Sub(time.Unix(0, last)); idle > o.IdleTimeout {
				err = fmt.Errorf("stalled: nothing received for %v", idle.Round(time.Millisecond))
				break
			}
			if now.Sub(time.Unix(0, s.lastSend.Load())) >= o.KeepaliveInterval {
				select {
				case s.out <- outItem{}:
				default:
				}
			}
			s.dropIdle(now)
			if err = s.offerNext(); err != nil {
				break
			}
			if now.Sub(lastPersist) >= o.PersistInterval {
				s.persist()
				lastPersist = now
			}
		}
		if err != nil {
			s.fail(err)
			return
		}
	}
}

func (s *session) drainInbox() error {
	for {
		select {
		case m := <-s.inbox:
			if err := s.handle(m); err != nil {
				return err
			}
		default:
			return nil
		}
	}
}

// announce offers every document of the team to the peer, as
// automerge-repo does, and sends this device's presence.
func (s *session) announce() error {
	if s.open != nil {
		return s.announceOpen()
	}
	if err := s.sendPresence(); err != nil {
		return err
	}
	ids, err := s.n.st.DocIDs()
	if err != nil {
		s.n.log.Error("list documents", "err", err)
		return nil
	}
	for _, id := range ids {
		if !s.n.st.Loaded(id) {
			s.wait(id) // loaded when its turn comes
			continue
		}
		doc, err := s.n.st.Doc(id)
		if err != nil {
			s.n.log.Warn("document not offered: it does not load here", "doc", id, "err", err)
			continue
		}
		if s.sharedWhileIdle(doc) {
			continue // the peer has all of it: left unloaded, nothing to say
		}
		if _, idle := doc.IdleHeads(); idle {
			s.wait(id) // loaded when its turn comes
			continue
		}
		if err := s.offer(doc); err != nil {
			return err
		}
	}
	return s.offerNext()
}

// offer starts syncing a document with the peer.
func (s *session) offer(doc Doc) error {
	ds, err := s.docState(doc)
	if err != nil {
		s.n.log.Warn("document not offered: bad sync state", "doc", doc.ID(), "err", err)
		return nil
	}
	return s.generate(ds)
}

// offerQuiet is how long the document being offered may go without a
// message before the next one is offered anyway (a peer that does not
// answer for one document must not hold up the others).
const offerQuiet = 2 * time.Second

// offerNext loads and offers the next waiting document once the one being
// offered is done with: in sync (settled, and unloaded again), dropped, or
// quiet for offerQuiet.
func (s *session) offerNext() error {
	if s.offering != "" {
		ds, ok := s.docs[s.offering]
		if ok && time.Since(ds.used) < offerQuiet {
			return nil
		}
		s.offering = ""
	}
	for len(s.waiting) > 0 {
		id := s.waiting[0]
		s.waiting = s.waiting[1:]
		s.n.want(id, -1)
		if _, ok := s.docs[id]; ok {
			continue // the peer spoke of it first: syncing already
		}
		doc, err := s.n.st.Doc(id)
		if err != nil {
			s.n.log.Warn("document not offered: it does not load here", "doc", id, "err", err)
			continue
		}
		if s.sharedWhileIdle(doc) {
			continue
		}
		s.offering = id
		s.n.log.Debug("offering a document that was not in memory", "doc", id, "peer", s.peerID, "left", len(s.waiting))
		return s.offer(doc)
	}
	return nil
}

// settled ends the sync of the document being offered once the peer's
// message names the heads both hold and nothing was left to send: its sync
// state is saved and given back, and the document unloaded again if
// nothing else holds it. Then the next one is offered.
func (s *session) settled(ds *docSync, msg []byte, sentBefore int) error {
	id := ds.doc.ID()
	if id != s.offering || ds.sent != sentBefore {
		return nil
	}
	theirs, err := syncMessageHeads(msg)
	if err != nil || len(theirs) == 0 {
		return nil
	}
	if shared, err := sharedHeads(ds.ss.Save()); err != nil || !amsafe.SameHeads(shared, theirs) {
		return nil
	}
	s.offering = ""
	if s.saveState(id, ds) == nil {
		s.dropDoc(id)
		if !s.n.isWanted(id) {
			// Unloaded unless another connection is about to offer it
			// (several devices connecting at once would load it each).
			ds.doc.Unload()
		}
	}
	return s.offerNext()
}

// wait puts a document in the queue of documents to offer (offerNext).
func (s *session) wait(id string) {
	s.waiting = append(s.waiting, id)
	s.n.want(id, 1)
}

// want counts the sessions with a document waiting to be offered.
func (n *Node) want(id string, d int) {
	n.wantMu.Lock()
	defer n.wantMu.Unlock()
	if n.wanted == nil {
		n.wanted = map[string]int{}
	}
	if n.wanted[id] += d; n.wanted[id] <= 0 {
		delete(n.wanted, id)
	}
}

// isWanted reports whether a session has the document waiting to be offered.
func (n *Node) isWanted(id string) bool {
	n.wantMu.Lock()
	defer n.wantMu.Unlock()
	return n.wanted[id] > 0
}

func (s *session) docState(doc Doc) (*docSync, error) {
	id := doc.ID()
	if ds, ok := s.docs[id]; ok {
		return ds, nil
	}
	var raw []byte
	if s.stateKey != "" {
		var err error
		raw, err = s.n.st.SyncState(s.stateKey, id)
		if err != nil {
			s.n.log.Warn("saved sync state unreadable; starting afresh", "peer", s.peerID, "doc", id, "err", err)
			raw = nil
		}
	}
	ss, err := doc.NewSyncState(raw)
	if err != nil && raw != nil {
		ss, err = doc.NewSyncState(nil)
	}
	if err != nil {
		return nil, fmt.Errorf("sync state for %s: %w", id, err)
	}
	ds := &docSync{doc: doc, ss: ss, used: time.Now()}
	if shared, err := sharedHeads(ss.Save()); err == nil && len(shared) > 0 {
		ds.peerHas = true
	}
	s.docs[id] = ds
	return ds, nil
}

// generate sends the next sync message for a document if there is one. A
// long one (a first sync, or many offline edits) goes as the saved document
// when the peer accepts it and that is smaller.
func (s *session) generate(ds *docSync) error {
	ds.used = time.Now()
	id := ds.doc.ID()
	if !s.openAllows(id) || s.refused[id] {
		return nil
	}
	msg, ok := ds.doc.GenerateSyncMessage(ds.ss)
	if !ok {
		return nil
	}
	if !s.openAllows(id) {
		// Unshared while the message was being made: it may carry edits
		// made after the unshare. Drop it, and the sync state that thinks
		// it was sent (a later share starts afresh).
		s.dropDoc(id)
		return nil
	}
	if s.savedDoc && !ds.peerHas && len(msg) > savedDocThreshold {
		if saved := ds.doc.Save(); len(saved) < len(msg) {
			if err := s.send(&protocol.Message{Type: protocol.TypeSavedDoc, DocumentID: id, Data: saved}); err != nil {
				return err
			}
			// The peer will have these heads once it merges: start the
			// next round from them, not from the old shared heads.
			s.assumeShared(ds, saved)
			ds.peerHas = true
			ds.sent++
			return nil
		}
	}
	typ := protocol.TypeSync
	if ds.doc.IsEmpty() {
		typ = protocol.TypeRequest
	} else if len(msg) > deflateThreshold {
		typ, msg = s.compress(ds, msg)
	}
	if err := s.send(&protocol.Message{Type: typ, DocumentID: id, Data: msg}); err != nil {
		return err
	}
	ds.sent++
	return nil
}

// compress returns the smallest form of a long sync message the peer
// accepts: packed (protocol.PackSync) against the history both hold if it
// is long enough; else DEFLATE-compressed; else as it is.
func (s *session) compress(ds *docSync, msg []byte) (string, []byte) {
	if s.packed && len(msg) >= packMin {
		var heads []automerge.ChangeHash
		var dict *protocol.Dict
		if !s.noDict[ds.doc.ID()] {
			// The heads this sync state knows the peer has: it sent them.
			if shared, err := sharedHeads(ds.ss.Save()); err == nil && len(shared) > 0 {
				if chs, err := ds.doc.Recent(shared, protocol.DictChanges); err == nil {
					heads, dict = shared, protocol.PackDict(chs)
				}
			}
		}
		if p, err := protocol.PackSync(msg, heads, dict); err == nil && len(p) < len(msg) {
			return protocol.TypeSyncPacked, p
		}
	}
	if s.deflate {
		if z, err := protocol.Deflate(msg); err == nil && len(z) < len(msg) {
			return protocol.TypeSyncDeflate, z
		}
	}
	return protocol.TypeSync, msg
}

// unpack rebuilds the sync message of a packed one. It returns nil and no
// error when this device cannot build the dictionary the peer used (it
// lacks those changes, or holds them otherwise encoded): the peer is told
// so and resends without one.
func (s *session) unpack(m *protocol.Message) ([]byte, error) {
	heads, err := protocol.DictHeads(m.Data)
	if err != nil {
		return nil, fmt.Errorf("packed sync message for document %s: %w", m.DocumentID, err)
	}
	var dict *protocol.Dict
	if len(heads) > 0 {
		doc, err := s.n.st.Doc(m.DocumentID)
		if err != nil {
			return nil, s.unpackable(m.DocumentID, err)
		}
		chs, err := doc.Recent(heads, protocol.DictChanges)
		if err != nil {
			return nil, s.unpackable(m.DocumentID, err)
		}
		dict = protocol.PackDict(chs)
	}
	msg, err := protocol.UnpackSync(m.Data, dict, s.n.opts.MaxMessage)
	if errors.Is(err, protocol.ErrDictMismatch) {
		return nil, s.unpackable(m.DocumentID, err)
	} else if err != nil {
		return nil, fmt.Errorf("packed sync message for document %s: %w", m.DocumentID, err)
	}
	return msg, nil
}

func (s *session) unpackable(id string, why error) error {
	s.n.log.Info("packed sync message without its dictionary here; asking for it again without one", "doc", id, "peer", s.peerID, "err", why)
	return s.send(&protocol.Message{Type: protocol.TypeSyncUnpackable, DocumentID: id})
}

// onUnpackable resends a document the peer could not unpack: without a
// dictionary, from the saved sync state (the one in memory believes the
// changes were sent). Said again, it answers a packed message that crossed
// the first answer (two merges relayed at once): the resend covers that
// one too, and nothing is resent, so a peer cannot make this device loop.
// For a document not being synced there is nothing to resend (its next
// sync starts from the saved state), and nothing is remembered: a peer
// naming new ids would grow noDict for as long as the connection lasts.
func (s *session) onUnpackable(id string) error {
	if _, ok := s.docs[id]; !ok || s.noDict[id] {
		return nil
	}
	s.noDict[id] = true
	s.dropDoc(id)
	ds, err := s.docFor(id, false)
	if err != nil || ds == nil {
		return err
	}
	return s.generate(ds)
}

// flushDirty syncs the documents changed since the last call.
func (s *session) flushDirty() error {
	if s.presDirty.Swap(false) {
		if err := s.sendPresence(); err != nil {
			return err
		}
	}
	s.dmu.Lock()
	ids := s.dirty
	s.dirty = map[string]struct{}{}
	s.dmu.Unlock()
	for id := range ids {
		ds, ok := s.docs[id]
		if !ok && s.open != nil {
			if !s.offersOpen(id) {
				continue
			}
			var err error
			if ds, err = s.docFor(id, true); err != nil || ds == nil {
				s.n.log.Warn("shared document not offered", "doc", id, "err", err)
				continue
			}
		}
		if ds == nil {
			if !s.n.isTeamDoc(id) {
				continue
			}
			doc, err := s.n.st.Doc(id)
			if err != nil {
				s.n.log.Warn("changed document does not load", "doc", id, "err", err)
				continue
			}
			if ds, err = s.docState(doc); err != nil {
				s.n.log.Warn("bad sync state", "doc", id, "err", err)
				continue
			}
		}
		if err := s.generate(ds); err != nil {
			return err
		}
	}
	return nil
}

// handle processes one message from the peer. An error ends the session,
// and so does a panic in the Automerge binding on hostile input: the
// connection is dropped, not the program.
func (s *session) handle(m *protocol.Message) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("%s message made the document library fail: %v", m.Type, r)
		}
	}()
	return s.handleMsg(m)
}

func (s *session) handleMsg(m *protocol.Message) error {
	if s.open != nil {
		switch m.Type {
		case protocol.TypeEphemeral, protocol.TypeRemoteSubscriptionChange, protocol.TypeRemoteHeadsChanged:
			// A relay forwards other peers' ephemeral data under their
			// own ids; presence is not exchanged with open peers.
			return nil
		}
	}
	if m.SenderID != s.peerID && m.Type == protocol.TypeEphemeral && s.open == nil {
		s.onRelayedPresence(m) // another device's presence, relayed by this peer
		return nil
	}
	if m.SenderID != s.peerID {
		return fmt.Errorf("message claims sender %q on the connection of %s", m.SenderID, s.peerID)
	}
	if m.TargetID != "" && m.TargetID != s.selfID {
		return fmt.Errorf("message addressed to %q, not to this device", m.TargetID)
	}
	switch m.Type {
	case protocol.TypeSync, protocol.TypeRequest:
		return s.onSync(m)
	case protocol.TypeSyncDeflate:
		data, err := protocol.Inflate(m.Data, s.n.opts.MaxMessage)
		if err != nil {
			return fmt.Errorf("compressed sync message for document %s: %w", m.DocumentID, err)
		}
		m.Type, m.Data = protocol.TypeSync, data
		return s.onSync(m)
	case protocol.TypeSyncPacked:
		if !s.openAllows(m.DocumentID) || s.refused[m.DocumentID] {
			return s.onSync(m) // answered doc-unavailable, unread
		}
		data, err := s.unpack(m)
		if err != nil || data == nil {
			return err // nil: answered pwg-sync-unpackable
		}
		m.Type, m.Data = protocol.TypeSync, data
		return s.onSync(m)
	case protocol.TypeSyncUnpackable:
		return s.onUnpackable(m.DocumentID)
	case protocol.TypeSavedDoc:
		return s.onSavedDoc(m)
	case protocol.TypeDocUnavailable:
		s.openUnavailable(m.DocumentID)
		return nil
	case protocol.TypeRemoteSubscriptionChange, protocol.TypeRemoteHeadsChanged:
		return nil
	case protocol.TypeEphemeral:
		s.onEphemeral(m)
		return nil
	case protocol.TypeTeamKey:
		if s.open != nil {
			return fmt.Errorf("team key message on an open connection")
		}
		changed, err := s.n.onTeamKey(s.peerID, m.Data)
		if err != nil {
			return err
		}
		if changed {
			go s.n.spreadKey(s.peerID)
		}
		return nil
	case protocol.TypeLeave:
		return errLeft
	case protocol.TypeError:
		return fmt.Errorf("peer reported an error: %q", m.ErrorMessage)
	default: // join or peer after the handshake
		return fmt.Errorf("unexpected %s message after the handshake", m.Type)
	}
}

// docFor returns the sync state of a document the peer sent, creating the
// document if create (a document of the team this device lacks).
func (s *session) docFor(id string, create bool) (*docSync, error) {
	if ds, ok := s.docs[id]; ok {
		return ds, nil
	}
	doc, err := s.n.st.Doc(id)
	if errors.Is(err, ErrNoDoc) {
		if !create {
			return nil, nil
		}
		if s.newDocs >= s.n.opts.MaxNewDocs {
			return nil, fmt.Errorf("flood: peer offered more than %d new documents", s.n.opts.MaxNewDocs)
		}
		s.newDocs++
		doc, err = s.n.st.EnsureDoc(id)
	}
	if err != nil {
		return nil, fmt.Errorf("document %s: %w", id, err)
	}
	return s.docState(doc)
}

// docError handles a document of this device that cannot be read: a damaged
// one is skipped — logged once per connection, answered doc-unavailable —
// and every other document keeps syncing (it ended the connection, so the
// peers reconnected in a loop and nothing reached this device any more).
// Other errors end the connection.
func (s *session) docError(id string, err error) error {
	unavailable := errors.Is(err, docs.ErrUnavailable)
	if !errors.Is(err, storage.ErrCorrupt) && !unavailable {
		return err
	}
	if !s.refused[id] {
		s.refused[id] = true
		if unavailable {
			// Storage failed to load it again (it was unloaded): nothing
			// merged now, tried again on a later connection.
			s.n.log.Warn("document not loaded from storage: skipped on this connection; other documents keep syncing", "doc", id, "peer", s.peerID, "err", err)
		} else {
			s.n.log.Warn("damaged document skipped; other documents keep syncing", "doc", id, "peer", s.peerID, "err", err)
		}
	}
	s.dropDoc(id)
	return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: id})
}

func (s *session) onSync(m *protocol.Message) error {
	req := m.Type == protocol.TypeRequest
	if !s.openAllows(m.DocumentID) || s.refused[m.DocumentID] {
		return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: m.DocumentID})
	}
	if heads, quiet, answer := s.quietForIdle(m); quiet {
		if answer {
			return s.send(&protocol.Message{Type: protocol.TypeSync, DocumentID: m.DocumentID, Data: headsMessage(heads)})
		}
		return nil
	}
	ds, err := s.docFor(m.DocumentID, !req)
	if err != nil {
		return s.docError(m.DocumentID, err)
	}
	if ds == nil { // a request for a document this device lacks
		return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: m.DocumentID})
	}
	if !ds.peerHas {
		if heads, err := syncMessageHeads(m.Data); err == nil && len(heads) > 0 {
			ds.peerHas = true
		}
	}
	if err := ds.doc.ReceiveSyncMessage(ds.ss, m.Data, s.key); errors.Is(err, docs.ErrUnavailable) {
		return s.docError(m.DocumentID, err)
	} else if err != nil {
		return fmt.Errorf("sync message for document %s does not apply: %w", m.DocumentID, err)
	}
	ds.dirty = true
	if req && ds.doc.IsEmpty() {
		return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: m.DocumentID})
	}
	before := ds.sent
	if err := s.generate(ds); err != nil {
		return err
	}
	return s.settled(ds, m.Data, before)
}

func (s *session) onSavedDoc(m *protocol.Message) error {
	if !s.openAllows(m.DocumentID) {
		return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: m.DocumentID})
	}
	ds, err := s.docFor(m.DocumentID, true)
	if err != nil {
		return s.docError(m.DocumentID, err)
	}
	if err := ds.doc.MergeSaved(m.Data, s.key); errors.Is(err, amsafe.ErrNoSharedHistory) {
		// Another document under this id: not merged, and not synced with
		// this peer any more (sync messages would merge it change by
		// change); every other document keeps syncing.
		s.n.log.Warn("document from peer refused: it shares no history with this device's copy",
			"doc", m.DocumentID, "peer", s.peerID, "addr", s.addr)
		s.refused[m.DocumentID] = true
		s.dropDoc(m.DocumentID)
		return s.send(&protocol.Message{Type: protocol.TypeDocUnavailable, DocumentID: m.DocumentID})
	} else if errors.Is(err, docs.ErrUnavailable) {
		return s.docError(m.DocumentID, err)
	} else if err != nil {
		return fmt.Errorf("document %s from peer does not load: %w", m.DocumentID, err)
	}
	s.assumeShared(ds, m.Data)
	ds.peerHas = true
	return s.generate(ds)
}

// assumeShared records that the peer has the heads of a saved document
// that crossed (either way), so that the next sync message carries a Bloom
// filter of only newer changes. Automerge corrects the shared heads from
// the peer's next message if the assumption was wrong.
func (s *session) assumeShared(ds *docSync, saved []byte) {
	heads, err := savedDocHeads(saved)
	if err != nil {
		s.n.log.Debug("saved document header not understood", "doc", ds.doc.ID(), "err", err)
		return
	}
	ss, err := withShared(ds.doc, ds.ss, heads)
	if err != nil {
		s.n.log.Debug("sync state not reset", "doc", ds.doc.ID(), "err", err)
		return
	}
	ds.doc.ReleaseSyncState() // the state it replaces
	ds.ss = ss
}

func (s *session) onEphemeral(m *protocol.Message) {
	if last, ok := s.ephemeral[m.SessionID]; ok && m.Count <= last {
		return // stale or repeated
	}
	if len(s.ephemeral) > 64 {
		clear(s.ephemeral)
	}
	s.ephemeral[m.SessionID] = m.Count
	p, err := presence.Decode(m.Data)
	if err != nil {
		s.n.log.Debug("ephemeral data that is not a presence ignored", "peer", s.peerID, "err", err)
		return
	}
	conns := make(map[string]bool, len(p.Connected))
	for _, id := range p.Connected {
		conns[id] = true
	}
	s.remote.Store(&conns)
	s.n.setPeerPresence(s, p)
	s.n.onPresence(s, m, p)
}

// onRelayedPresence handles the presence of a device this one may not be
// connected to, relayed by s's peer.
func (s *session) onRelayedPresence(m *protocol.Message) {
	if m.TargetID != "" && m.TargetID != s.selfID {
		return
	}
	p, err := presence.Decode(m.Data)
	if err != nil {
		return
	}
	s.n.onPresence(s, m, p)
}

func (s *session) sendPresence() error {
	if s.open != nil {
		return nil
	}
	m, ok := s.n.presenceMessage()
	if !ok || bytes.Equal(m.Data, s.presSent) {
		return nil // the peer has this very presence already
	}
	s.presSent = m.Data
	if err := s.send(m); err != nil {
		return err
	}
	if !s.hopsSent {
		s.hopsSent = true
		return s.sendKnownPresences()
	}
	return nil
}

// sharedWhileIdle reports that doc is unloaded here and the sync state
// saved for this peer says the peer has exactly its heads: announcing it
// would load it for nothing (the peer's own message brings whatever it has
// that is new).
func (s *session) sharedWhileIdle(doc Doc) bool {
	heads, idle := doc.IdleHeads()
	if !idle || len(heads) == 0 || s.stateKey == "" {
		return false
	}
	raw, err := s.n.st.SyncState(s.stateKey, doc.ID())
	if err != nil || raw == nil {
		return false
	}
	shared, err := sharedHeads(raw)
	return err == nil && amsafe.SameHeads(shared, heads)
}

// quietForIdle reports that a sync message needs no loading: its document
// is unloaded here with the very heads the message names, and the message
// asks for nothing and brings nothing. If it is the peer's opening (it
// offers a Bloom filter), answer says to tell the peer those heads
// (headsMessage), without which it waits for an answer that never comes
// before offering its next document (2 s each, for every document of a
// restarted device).
func (s *session) quietForIdle(m *protocol.Message) (heads []automerge.ChangeHash, quiet, answer bool) {
	if m.Type != protocol.TypeSync {
		return nil, false, false
	}
	if _, ok := s.docs[m.DocumentID]; ok {
		return nil, false, false
	}
	theirs, quiet, offers := syncMessageQuiet(m.Data)
	if !quiet || len(theirs) == 0 {
		return nil, false, false
	}
	doc, err := s.n.st.Doc(m.DocumentID)
	if err != nil {
		return nil, false, false
	}
	ours, idle := doc.IdleHeads()
	if !idle || !amsafe.SameHeads(theirs, ours) {
		return nil, false, false
	}
	return ours, true, offers
}

// dropDoc forgets the sync state of a document and gives it back to the
// document (which may then be unloaded when idle).
func (s *session) dropDoc(id string) {
	if ds, ok := s.docs[id]; ok {
		ds.doc.ReleaseSyncState()
		delete(s.docs, id)
	}
}

// dropIdle saves and forgets the sync states of documents no message
// crossed for Options.DocIdle, so that documents nobody edits can be
// unloaded; the next message of one starts from its saved state. States of
// open connections are kept (they are not saved).
func (s *session) dropIdle(now time.Time) {
	if s.stateKey == "" {
		return
	}
	for id, ds := range s.docs {
		if now.Sub(ds.used) < s.n.opts.DocIdle {
			continue
		}
		if s.saveState(id, ds) != nil {
			continue // kept, and tried again at the next tick
		}
		s.dropDoc(id)
	}
}

// finish saves the sync states at the end of the session and gives them
// back to their documents.
func (s *session) finish() {
	for _, id := range s.waiting {
		s.n.want(id, -1)
	}
	s.waiting = nil
	s.persist()
	for id := range s.docs {
		s.dropDoc(id)
	}
}

// persist saves the changed sync states so a reconnect sends only what is new.
func (s *session) persist() {
	if s.stateKey == "" {
		return
	}
	for id, ds := range s.docs {
		if err := s.saveState(id, ds); err != nil {
			s.n.log.Warn("sync state not saved", "peer", s.peerID, "doc", id, "err", err)
		}
	}
}

// saveState saves the sync state of a document if it changed since it was
// last saved. The state may include changes whose save is still batched:
// they are saved first, so that a saved state never claims what is not on
// disk.
func (s *session) saveState(id string, ds *docSync) error {
	if !ds.dirty {
		return nil
	}
	if err := ds.doc.Flush(); err != nil {
		return fmt.Errorf("save document before its sync state: %w", err)
	}
	if err := s.n.st.SaveSyncState(s.stateKey, id, ds.ss.Save()); err != nil {
		return fmt.Errorf("save sync state: %w", err)
	}
	ds.dirty = false
	return nil
}
