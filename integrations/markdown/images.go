package markdown

import (
	"cmp"
	"mime"
	"net/http"
	"path"
	"regexp"
	"sort"
	"strings"
	"unicode"

	"github.com/pwg-team/pwg/crdt/minutes"
)

// ImageDir is the folder, beside the Markdown file, that holds the images.
const ImageDir = "images"

// hashPrefixLen is how many hex digits of a blob hash name its image file.
const hashPrefixLen = 12

// blobRef matches a reference to an attachment in the notes, with the
// " ([Mackerel](URL))" that minutes.AttachmentMarkdown appends for graphs.
var blobRef = regexp.MustCompile(`!\[((?:\\.|[^\]\\])*)\]\(pwg-blob:([0-9a-fA-F]{8,128})\)(?: \(\[Mackerel\]\(([^()\s]+)\)\))?`)

// image is one picture of the export.
type image struct {
	hash    string
	file    string // path relative to the Markdown file, e.g. images/0123abcd4567-cpu.png
	att     minutes.Attachment
	missing bool
	data    []byte
}

// imageSet resolves blob hashes to image files.
type imageSet struct {
	byHash map[string]*image
	blobs  BlobFunc
	fetch  bool // keep the data (WriteDir)
}

func newImageSet(atts []minutes.Attachment, blobs BlobFunc, fetch bool) *imageSet {
	s := &imageSet{byHash: map[string]*image{}, blobs: blobs, fetch: fetch}
	for _, a := range atts {
		h := strings.ToLower(a.Hash)
		if !isHex(h) || s.byHash[h] != nil {
			continue
		}
		s.byHash[h] = &image{hash: h, att: a}
	}
	return s
}

func isHex(s string) bool {
	if len(s) < 8 {
		return false
	}
	for _, r := range s {
		if !('0' <= r && r <= '9' || 'a' <= r && r <= 'f') {
			return false
		}
	}
	return true
}

// get returns the image of hash, looking its bytes up once.
func (s *imageSet) get(hash string) *image {
	hash = strings.ToLower(hash)
	img := s.byHash[hash]
	if img == nil {
		img = &image{hash: hash, att: minutes.Attachment{Hash: hash}}
		s.byHash[hash] = img
	}
	if img.file != "" || img.missing {
		return img
	}
	mt := img.att.Mime
	if s.blobs != nil {
		bm, data, err := s.blobs(hash)
		if err != nil || data == nil {
			img.missing = true
			return img
		}
		if mt == "" {
			mt = bm
		}
		if mt == "" {
			mt = http.DetectContentType(data)
		}
		if s.fetch {
			img.data = data
		}
	}
	img.file = path.Join(ImageDir, hash[:min(hashPrefixLen, len(hash))]+"-"+cmp.Or(slug(img.att.Name), "image")+"."+extension(mt))
	return img
}

// images returns the resolved images with their bytes, ordered by file.
func (s *imageSet) images() []*image {
	var out []*image
	for _, img := range s.byHash {
		if img.file != "" && !img.missing {
			out = append(out, img)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].file < out[j].file })
	return out
}

// slug turns a name into a safe ASCII file-name part, possibly empty.
func slug(name string) string {
	name = strings.TrimSuffix(name, path.Ext(name))
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(name) {
		if r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)) {
			b.WriteRune(r)
			dash = false
		} else if !dash && b.Len() > 0 {
			b.WriteByte('-')
			dash = true
		}
		if b.Len() >= 40 {
			break
		}
	}
	return strings.Trim(b.String(), "-")
}

// extension picks a file extension for a MIME type.
func extension(mt string) string {
	mt, _, _ = mime.ParseMediaType(mt)
	switch mt {
	case "image/png", "":
		return "png"
	case "image/jpeg":
		return "jpg"
	case "image/gif":
		return "gif"
	case "image/webp":
		return "webp"
	case "image/svg+xml":
		return "svg"
	}
	return "bin"
}

// rewriteNotes replaces blob references in notes with image links, outside
// fenced code blocks and code spans, and records which hashes were used.
func (s *imageSet) rewriteNotes(notes string, l *Labels, used map[string]bool) string {
	notes = strings.ReplaceAll(notes, "\r\n", "\n")
	lines := strings.Split(notes, "\n")
	var fence string
	for i, line := range lines {
		trimmed := strings.TrimLeft(line, " ")
		if fence != "" {
			if strings.HasPrefix(trimmed, fence) && strings.TrimSpace(strings.TrimLeft(trimmed, fence[:1])) == "" {
				fence = ""
			}
			continue
		}
		if f := fenceOpen(trimmed); f != "" && len(line)-len(trimmed) < 4 {
			fence = f
			continue
		}
		lines[i] = s.rewriteLine(line, l, used)
	}
	return strings.Join(lines, "\n")
}

// fenceOpen returns the fence (``` or ~~~, at least three) a line opens.
func fenceOpen(line string) string {
	for _, c := range []byte{'`', '~'} {
		n := 0
		for n < len(line) && line[n] == c {
			n++
		}
		if n >= 3 {
			if c == '`' && strings.ContainsRune(line[n:], '`') {
				return ""
			}
			return line[:n]
		}
	}
	return ""
}

// rewriteLine rewrites the blob references of one line outside code spans.
func (s *imageSet) rewriteLine(line string, l *Labels, used map[string]bool) string {
	if !strings.Contains(line, "pwg-blob:") {
		return line
	}
	// A reference alone on its line becomes a figure with a caption line.
	if m := blobRef.FindStringSubmatchIndex(line); m != nil && strings.TrimSpace(line[:m[0]]) == "" && strings.TrimSpace(line[m[1]:]) == "" && !inCodeSpan(line, m[0]) {
		indent := line[:m[0]]
		alt, hash := line[m[2]:m[3]], line[m[4]:m[5]]
		used[strings.ToLower(hash)] = true
		return s.figure(indent, alt, s.get(hash), suffixLink(line, m), l)
	}
	var b strings.Builder
	last := 0
	for _, m := range blobRef.FindAllStringSubmatchIndex(line, -1) {
		if inCodeSpan(line, m[0]) {
			continue
		}
		alt, hash := line[m[2]:m[3]], line[m[4]:m[5]]
		used[strings.ToLower(hash)] = true
		b.WriteString(line[last:m[0]])
		b.WriteString(s.inline(alt, s.get(hash), suffixLink(line, m), l))
		last = m[1]
	}
	b.WriteString(line[last:])
	return b.String()
}

// inCodeSpan reports whether byte offset pos of line is inside a code span,
// counting backtick runs before it.
func inCodeSpan(line string, pos int) bool {
	open := 0 // length of the open backtick run, 0 when outside
	for i := 0; i < pos; {
		if line[i] == '\\' && open == 0 {
			i += 2
			continue
		}
		if line[i] != '`' {
			i++
			continue
		}
		n := 0
		for i+n < len(line) && line[i+n] == '`' {
			n++
		}
		switch {
		case open == 0:
			if strings.Contains(line[i+n:], strings.Repeat("`", n)) {
				open = n
			}
		case n == open:
			open = 0
		}
		i += n
	}
	return open != 0
}

// suffixLink returns the Mackerel URL written after a reference, if any.
func suffixLink(line string, m []int) string {
	if m[6] < 0 {
		return ""
	}
	return line[m[6]:m[7]]
}

// linkOf is the attachment's Mackerel link, else the one written after the
// reference in the notes.
func linkOf(img *image, written string) string {
	if u := safeURL(img.att.Link); u != "" {
		return u
	}
	return safeURL(written)
}

// altOf picks the alt text: the caption written in the notes, else the
// attachment's caption, else its name. alt is already Markdown.
func altOf(alt string, img *image) string {
	if strings.TrimSpace(alt) != "" {
		return alt
	}
	if img.att.Caption != "" {
		return text(img.att.Caption)
	}
	return text(img.att.Name)
}

// inline writes an image inside running text, linked to Mackerel when the
// attachment has a link.
func (s *imageSet) inline(alt string, img *image, written string, l *Labels) string {
	alt = altOf(alt, img)
	if img.missing {
		return "*(" + text(l.MissingImage) + ": " + alt + ")*"
	}
	pic := "![" + alt + "](" + img.file + ")"
	if u := linkOf(img, written); u != "" {
		return "[" + pic + "](" + dest(u) + ")"
	}
	return pic
}

// figure writes an image on its own line followed by a caption line:
// caption · period · Mackerel link.
func (s *imageSet) figure(indent, alt string, img *image, written string, l *Labels) string {
	alt = altOf(alt, img)
	if img.missing {
		return indent + "*(" + text(l.MissingImage) + ": " + alt + ")*"
	}
	var parts []string
	if img.att.Caption != "" {
		parts = append(parts, "*"+text(img.att.Caption)+"*")
	} else if strings.TrimSpace(alt) != "" {
		parts = append(parts, "*"+alt+"*")
	}
	if img.att.Period != "" {
		parts = append(parts, text(img.att.Period))
	}
	if u := linkOf(img, written); u != "" {
		parts = append(parts, link(text(l.OpenInMackerel), u))
	}
	pic := indent + "![" + alt + "](" + img.file + ")"
	if len(parts) == 0 {
		return pic
	}
	return pic + "\\\n" + indent + strings.Join(parts, " · ")
}
