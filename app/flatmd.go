package app

import (
	"fmt"
	"strings"

	"fyne.io/fyne/v2/widget"
)

// flatSegments lifts the text of lists and paragraphs to the top level of a
// RichText. Fyne 2.8 gives only top-level text segments the RichText's own
// theme; nested ones are drawn in the app's theme, so under the facilitator
// view's projector theme a list of notes stayed at desktop size.
func flatSegments(segs []widget.RichTextSegment, depth int, out []widget.RichTextSegment) []widget.RichTextSegment {
	for _, s := range segs {
		switch x := s.(type) {
		case *widget.ListSegment:
			n := 0
			for _, it := range x.Items {
				if sub, ok := it.(*widget.ListSegment); ok { // a nested list: the previous item's
					out = flatSegments([]widget.RichTextSegment{sub}, depth+1, out)
					continue
				}
				n++
				mark := "•  "
				if x.Ordered {
					mark = fmt.Sprintf("%d.  ", n)
				}
				style := widget.RichTextStyleStrong
				style.Inline = true
				out = append(out, &widget.TextSegment{Text: strings.Repeat("      ", depth) + mark, Style: style})
				start := len(out)
				out = flatSegments([]widget.RichTextSegment{it}, depth, out)
				out = endRow(out, start)
			}
		case *widget.ParagraphSegment:
			start := len(out)
			out = flatSegments(x.Texts, depth, out)
			out = endRow(out, start)
		default:
			out = append(out, s)
		}
	}
	return out
}

// endRow makes the segments from start on end with a line break.
func endRow(out []widget.RichTextSegment, start int) []widget.RichTextSegment {
	if len(out) > start {
		if t, ok := out[len(out)-1].(*widget.TextSegment); ok {
			if t.Style.Inline {
				c := *t
				c.Style.Inline = false
				out[len(out)-1] = &c
			}
			return out
		}
		if !out[len(out)-1].Inline() {
			return out
		}
	}
	return append(out, &widget.TextSegment{Style: widget.RichTextStyleParagraph})
}
