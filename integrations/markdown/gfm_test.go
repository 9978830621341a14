package markdown_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/text"
)

var gfm = goldmark.New(goldmark.WithExtensions(extension.GFM))

func parseGFM(t *testing.T, src []byte) ast.Node {
	t.Helper()
	return gfm.Parser().Parse(text.NewReader(src))
}

func countHeadings(doc ast.Node, level int) int {
	n := 0
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if h, ok := node.(*ast.Heading); ok && entering && h.Level == level {
			n++
		}
		return ast.WalkContinue, nil
	})
	return n
}

// checkGFM parses the export as GFM and checks its structure: one title,
// the alert and SLO tables with their rows, the task list with done and
// open items, and the image links into images/.
func checkGFM(t *testing.T, src []byte, wantImages int) {
	t.Helper()
	doc := parseGFM(t, src)
	var tables []*east.Table
	var checked, unchecked int
	var images []string
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := node.(type) {
		case *east.Table:
			tables = append(tables, n)
		case *east.TaskCheckBox:
			if n.IsChecked {
				checked++
			} else {
				unchecked++
			}
		case *ast.Image:
			images = append(images, string(n.Destination))
		}
		return ast.WalkContinue, nil
	})
	if got := countHeadings(doc, 1); got != 1 {
		t.Errorf("%d level-1 headings, want 1", got)
	}
	if len(tables) != 2 {
		t.Fatalf("%d tables, want 2 (alert review, SLOs)", len(tables))
	}
	rows := func(tb *east.Table) (n, cols int) {
		for c := tb.FirstChild(); c != nil; c = c.NextSibling() {
			if _, ok := c.(*east.TableRow); ok {
				n++
				cols = c.ChildCount()
			}
		}
		return n, cols
	}
	if n, cols := rows(tables[0]); n != 3 || cols != 4 {
		t.Errorf("alert table has %d rows of %d cells, want 3 of 4 (a pipe in a cell split it?)", n, cols)
	}
	if n, cols := rows(tables[1]); n != 2 || cols != 5 {
		t.Errorf("SLO table has %d rows of %d cells, want 2 of 5", n, cols)
	}
	if checked != 2 || unchecked != 2 {
		t.Errorf("task list: %d checked, %d open; want 2 and 2", checked, unchecked)
	}
	if len(images) != wantImages {
		t.Errorf("images %v, want %d", images, wantImages)
	}
	for _, d := range images {
		if !strings.HasPrefix(d, "images/") || strings.Contains(d, "..") {
			t.Errorf("image destination %q is not inside images/", d)
		}
	}
	var html bytes.Buffer
	if err := gfm.Convert(src, &html); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"<table>", `<input checked="" disabled="" type="checkbox"`, "障害ふりかえり", "<del>"} {
		if !strings.Contains(html.String(), want) {
			t.Errorf("rendered HTML lacks %q", want)
		}
	}
	if strings.Contains(html.String(), `href="javascript:`) {
		t.Error("rendered HTML contains a javascript: link")
	}
}

// imageDests lists the destinations of the images of doc.
func imageDests(doc ast.Node) []string {
	var out []string
	_ = ast.Walk(doc, func(node ast.Node, entering bool) (ast.WalkStatus, error) {
		if img, ok := node.(*ast.Image); ok && entering {
			out = append(out, string(img.Destination))
		}
		return ast.WalkContinue, nil
	})
	return out
}
