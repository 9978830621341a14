package protocol

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
)

// ErrTooLarge is returned by Inflate for data that expands beyond its limit.
var ErrTooLarge = errors.New("compressed data expands beyond the message size limit")

// Deflate compresses b for a TypeSyncDeflate message.
func Deflate(b []byte) ([]byte, error) {
	var buf bytes.Buffer
	w, err := flate.NewWriter(&buf, flate.DefaultCompression)
	if err != nil {
		return nil, err
	}
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Inflate decompresses the Data of a TypeSyncDeflate message, refusing
// more than limit bytes of output (a small message must not expand into
// gigabytes).
func Inflate(z []byte, limit int) ([]byte, error) {
	r := flate.NewReader(bytes.NewReader(z))
	defer r.Close()
	out, err := io.ReadAll(io.LimitReader(r, int64(limit)+1))
	if err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
	if len(out) > limit {
		return nil, ErrTooLarge
	}
	return out, nil
}
