package protocol

import (
	"bytes"
	"compress/flate"
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrTooLarge is returned by Inflate for data that expands beyond its limit.
var ErrTooLarge = errors.New("compressed data expands beyond the message size limit")

// deflaters keeps flate writers for reuse: each holds most of a megabyte of
// compressor state, and Deflate runs for every large sync message.
var deflaters = sync.Pool{New: func() any {
	w, err := flate.NewWriter(nil, flate.DefaultCompression)
	if err != nil {
		panic(err) // only for an invalid level
	}
	return w
}}

// Deflate compresses b for a TypeSyncDeflate message.
func Deflate(b []byte) ([]byte, error) {
	return deflateDict(b, nil)
}

// deflateDict compresses b against a preset dictionary (RFC 1951 allows
// any bytes before the data as history) that the reader must also have.
func deflateDict(b, dict []byte) ([]byte, error) {
	var buf bytes.Buffer
	if dict != nil {
		// A writer is made for its dictionary (Reset would keep it).
		w, err := flate.NewWriterDict(&buf, flate.BestCompression, dict)
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
	w := deflaters.Get().(*flate.Writer)
	// Reset clears most of a megabyte of tables: once per use. The pooled
	// writer keeps a reference to buf until its next use (it writes no more).
	defer deflaters.Put(w)
	w.Reset(&buf)
	if _, err := w.Write(b); err != nil {
		return nil, err
	}
	if err := w.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// inflaters keeps flate readers for reuse (Inflate runs for every
// compressed sync message received).
var inflaters = sync.Pool{New: func() any { return flate.NewReader(bytes.NewReader(nil)) }}

// Inflate decompresses the Data of a TypeSyncDeflate message, refusing
// more than limit bytes of output (a small message must not expand into
// gigabytes).
func Inflate(z []byte, limit int) ([]byte, error) {
	return inflateDict(z, nil, limit)
}

// inflateDict is Inflate of data compressed against dict.
func inflateDict(z, dict []byte, limit int) ([]byte, error) {
	r := inflaters.Get().(io.ReadCloser)
	defer func() {
		_ = r.(flate.Resetter).Reset(bytes.NewReader(nil), nil) // holds no reference to z while pooled
		inflaters.Put(r)
	}()
	if err := r.(flate.Resetter).Reset(bytes.NewReader(z), dict); err != nil {
		return nil, fmt.Errorf("%w: %v", ErrMalformed, err)
	}
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
