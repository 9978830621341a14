package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/pwg-team/pwg/crdt/minutes"
	"github.com/spf13/pflag"
)

func init() {
	register("export automerge", "ID [-o FILE]", "the meeting as a standard .automerge file", parseExportAutomerge)
	register("import", "FILE", "merge a .automerge minutes file (same meeting, or a new one)", parseImport)
}

// parseExportAutomerge: pwg export automerge MEETING -o FILE writes the
// meeting as a standard .automerge file.
func parseExportAutomerge(g *globals, fs *pflag.FlagSet) parser {
	out := fs.StringP("o", "o", "", "file to write (MEETING-TITLE.automerge when not given)")
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("export automerge needs one meeting id")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			m, err := ws.Meeting(pos[0])
			if err != nil {
				return err
			}
			name := *out
			if name == "" {
				name = m.FileName()
			}
			path, err := g.path(name)
			if err != nil {
				return err
			}
			if err := writeFileAtomic(path, m.SaveFile()); err != nil {
				return err
			}
			fmt.Fprintln(stdout, path)
			return nil
		}}, nil
	}
}

// writeFileAtomic writes data to a temporary file beside path and renames
// it over path, so a failed write never leaves half a file.
func writeFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), ".pwg-*"+minutes.FileExt)
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// readMinutesFile reads a file given to pwg import, bounded in size.
func readMinutesFile(path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	data, err := io.ReadAll(io.LimitReader(f, minutes.MaxFileBytes+1))
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	if len(data) > minutes.MaxFileBytes {
		return nil, fmt.Errorf("%s: larger than %d MB, not a minutes file: %w", path, minutes.MaxFileBytes>>20, minutes.ErrNotAutomerge)
	}
	return data, nil
}

// parseImport: pwg import FILE merges a .automerge minutes file.
func parseImport(g *globals, fs *pflag.FlagSet) parser {
	return func(pos []string) (*job, error) {
		if len(pos) != 1 {
			return nil, usageErr("import needs one .automerge file")
		}
		return &job{run: func(_ context.Context, ws *minutes.Workspace, _ io.Reader, stdout io.Writer) error {
			path, err := g.path(pos[0])
			if err != nil {
				return err
			}
			data, err := readMinutesFile(path)
			if err != nil {
				return err
			}
			res, err := ws.ImportMeeting(data)
			if errors.Is(err, minutes.ErrNoTeam) { // a new laptop: the file is good, make the team
				if err = ensureTeam(ws); err == nil {
					res, err = ws.ImportMeeting(data)
				}
			}
			if err != nil {
				return fmt.Errorf("%s: %w", path, err)
			}
			fmt.Fprintln(stdout, describeImport(res))
			return nil
		}}, nil
	}
}

// describeImport says in one line what an import did.
func describeImport(res minutes.Imported) string {
	what := "merged into"
	switch {
	case res.New:
		what = "added as a new meeting:"
	case !res.Changed:
		what = "nothing new for"
	}
	return fmt.Sprintf("%s %s %s (%s)", what, res.Date, res.Title, res.MeetingID)
}
