package lansync

import (
	"errors"
	"fmt"

	"github.com/pwg-team/pwg/crdt/docs"
	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/pwg-team/pwg/crdt/storage"
)

var _ Doc = (*docs.Handle)(nil)

// wsStore adapts a minutes.Workspace to Store.
type wsStore struct{ ws *minutes.Workspace }

// FromWorkspace returns the Store of a crdt workspace: its current team
// (the settings CurrentTeam and TeamKey) and that team's documents.
func FromWorkspace(ws *minutes.Workspace) Store { return wsStore{ws} }

func (w wsStore) Team() (Team, error) {
	id, err := w.Settings().CurrentTeam()
	if err != nil {
		return Team{}, err
	}
	if id == "" {
		s, err := w.ws.Series()
		if errors.Is(err, minutes.ErrNoTeam) {
			return Team{}, ErrNoTeam
		}
		if err != nil {
			return Team{}, err
		}
		id = s.ID()
	}
	k, err := w.Settings().TeamKey(id)
	if err != nil {
		return Team{}, err
	}
	if k == "" {
		return Team{}, fmt.Errorf("%w (the team %s has no key)", ErrNoTeam, id)
	}
	key, err := storage.DecodeKey(k)
	if err != nil {
		return Team{ID: id}, fmt.Errorf("the team key of %s: %w; this device cannot join its team's sync until it joins again with an invitation from a teammate (pwg join INVITATION, or File → Join a team…)", id, err)
	}
	return Team{ID: id, Key: key}, nil
}

func (w wsStore) JoinTeam(t Team) error {
	if err := w.Settings().SetTeamKey(t.ID, storage.EncodeKey(t.Key)); err != nil {
		return err
	}
	if err := w.Settings().SetCurrentTeam(t.ID); err != nil {
		return err
	}
	_, err := w.ws.EnsureDoc(t.ID)
	return err
}

func (w wsStore) Loaded(id string) bool { return w.ws.Loaded(id) }

// DocIDs lists the team's documents: its series, the meetings the series
// lists, and documents still empty (offered by a peer, not yet arrived).
// Documents of other teams in the same workspace are never offered.
func (w wsStore) DocIDs() ([]string, error) {
	team, err := w.Team()
	if err != nil {
		return nil, err
	}
	all, err := w.ws.DocIDs()
	if err != nil {
		return nil, err
	}
	listed := map[string]bool{team.ID: true, RosterID(team.ID): true}
	if h, err := w.ws.Doc(team.ID); err == nil && h.Kind() == minutes.KindSeries {
		if s, err := w.ws.Series(); err == nil && s.ID() == team.ID {
			infos, err := s.MeetingInfos()
			if err != nil {
				return nil, err
			}
			for _, m := range infos {
				listed[m.ID] = true
			}
		}
	}
	var out []string
	for _, id := range all {
		if listed[id] {
			out = append(out, id)
			continue
		}
		if h, err := w.ws.Doc(id); err == nil && h.IsEmpty() {
			out = append(out, id)
		}
	}
	return out, nil
}

func (w wsStore) Doc(id string) (Doc, error) {
	h, err := w.ws.Doc(id)
	if errors.Is(err, storage.ErrNotFound) {
		return nil, fmt.Errorf("%w: %v", ErrNoDoc, err)
	}
	if err != nil {
		return nil, err
	}
	return h, nil
}

func (w wsStore) EnsureDoc(id string) (Doc, error) {
	h, err := w.ws.EnsureDoc(id)
	if err != nil {
		return nil, err
	}
	return h, nil
}

// Subscribe hands out the workspace's own change events (one type, from
// the handle to the GUI and to sync).
func (w wsStore) Subscribe() (<-chan docs.Event, func()) { return w.ws.Subscribe() }

func (w wsStore) SyncState(peerID, docID string) ([]byte, error) {
	return w.ws.SyncState(peerID, docID)
}

func (w wsStore) SaveSyncState(peerID, docID string, state []byte) error {
	return w.ws.SaveSyncState(peerID, docID, state)
}

func (w wsStore) Settings() storage.Settings { return w.ws.Settings() }
