package app

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/storage/repository"
)

// blobScheme is the URI scheme notes use for attachments: ![caption](pwg-blob:HASH).
const blobScheme = "pwg-blob"

// blobRef finds the attachments a text refers to.
var blobRef = regexp.MustCompile(`!\[((?:\\.|[^\]\\])*)\]\(pwg-blob:([0-9a-fA-F]{8,128})\)`)

// BlobStore is where attachments are read from (the workspace).
type BlobStore interface {
	Blob(hash string) (mime string, data []byte, err error)
}

// blobRepo serves pwg-blob: URIs to Fyne's storage, so that Markdown
// (the preview, the facilitator's notes, the history) shows attachments
// as images.
type blobRepo struct {
	mu    sync.RWMutex
	store BlobStore
}

var blobs = &blobRepo{}

var registerBlobs sync.Once

// useBlobStore makes pwg-blob: URIs read from store (the last workspace
// opened in this process).
func useBlobStore(store BlobStore) {
	blobs.mu.Lock()
	blobs.store = store
	blobs.mu.Unlock()
	registerBlobs.Do(func() { repository.Register(blobScheme, blobs) })
}

func (r *blobRepo) read(u fyne.URI) (string, []byte, error) {
	r.mu.RLock()
	store := r.store
	r.mu.RUnlock()
	if store == nil {
		return "", nil, fmt.Errorf("pwg-blob: no workspace open")
	}
	hash := u.Path()
	if hash == "" {
		_, hash, _ = cutScheme(u.String())
	}
	return store.Blob(hash)
}

func cutScheme(s string) (string, string, bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == ':' {
			return s[:i], s[i+1:], true
		}
	}
	return "", s, false
}

// Exists implements repository.Repository.
func (r *blobRepo) Exists(u fyne.URI) (bool, error) {
	_, _, err := r.read(u)
	return err == nil, nil
}

// Reader implements repository.Repository.
func (r *blobRepo) Reader(u fyne.URI) (fyne.URIReadCloser, error) {
	_, data, err := r.read(u)
	if err != nil {
		return nil, fmt.Errorf("attachment %s: %w", u, err)
	}
	return &blobReader{Reader: bytes.NewReader(data), uri: u}, nil
}

// CanRead implements repository.Repository.
func (r *blobRepo) CanRead(u fyne.URI) (bool, error) { return r.Exists(u) }

// Destroy implements repository.Repository.
func (r *blobRepo) Destroy(string) {}

type blobReader struct {
	*bytes.Reader
	uri fyne.URI
}

var _ io.ReadCloser = (*blobReader)(nil)

func (b *blobReader) Close() error  { return nil }
func (b *blobReader) URI() fyne.URI { return b.uri }
