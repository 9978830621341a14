package mackerel

import (
	"fmt"
	"image"
	"image/color"
	"image/draw"
	"image/png"
	"io"
	"math"
	"sync"
	"time"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"github.com/pwg-team/pwg/assets"
	"golang.org/x/image/math/fixed"
)

// Palette is the colour of each series, in order, shared with the GUI.
var Palette = []color.RGBA{
	{0x1f, 0x77, 0xb4, 0xff}, {0xff, 0x7f, 0x0e, 0xff}, {0x2c, 0xa0, 0x2c, 0xff}, {0xd6, 0x27, 0x28, 0xff},
	{0x94, 0x67, 0xbd, 0xff}, {0x8c, 0x56, 0x4b, 0xff}, {0xe3, 0x77, 0xc2, 0xff}, {0x17, 0xbe, 0xcf, 0xff},
}

// AnnotationColor is the fill of annotation bands (translucent).
var AnnotationColor = color.NRGBA{0xff, 0xa5, 0x00, 0x50}

// RenderOptions control RenderPNG.
type RenderOptions struct {
	Width, Height  int    // pixels; 960×400 when zero
	Title          string // drawn at the top
	Footer         string // e.g. the period and a link to Mackerel
	Location       *time.Location
	ReferenceLines []ReferenceLine
}

var (
	fontOnce sync.Once
	fontData *opentype.Font
	fontErr  error
)

// loadFont picks a font with Japanese glyphs when one is installed (titles
// of Mackerel graphs are often Japanese), else the Go font.
func loadFont() (*opentype.Font, error) {
	data, collection, err := assets.CJKFont()
	if err != nil {
		return opentype.Parse(goregular.TTF)
	}
	if !collection {
		return opentype.Parse(data)
	}
	c, err := opentype.ParseCollection(data)
	if err != nil || c.NumFonts() == 0 {
		return opentype.Parse(goregular.TTF)
	}
	return c.Font(0)
}

func newFace(size float64) (font.Face, error) {
	fontOnce.Do(func() { fontData, fontErr = loadFont() })
	if fontErr != nil {
		return nil, fontErr
	}
	return opentype.NewFace(fontData, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingFull})
}

// RenderPNG draws g as a PNG: lines over time, a time axis, a value axis,
// annotation bands with their titles, reference lines and a legend. It is
// pure Go, for "Pin to minutes". Text uses the Go font, which has Latin
// glyphs only.
func RenderPNG(w io.Writer, g GraphData, opt RenderOptions) error {
	img, err := RenderImage(g, opt)
	if err != nil {
		return err
	}
	if err := png.Encode(w, img); err != nil {
		return fmt.Errorf("encode graph PNG: %w", err)
	}
	return nil
}

// RenderImage draws g into an image (see RenderPNG).
func RenderImage(g GraphData, opt RenderOptions) (*image.RGBA, error) {
	if opt.Width <= 0 {
		opt.Width = 960
	}
	if opt.Height <= 0 {
		opt.Height = 400
	}
	if opt.Width < 200 || opt.Height < 120 {
		return nil, fmt.Errorf("graph image %d×%d is too small", opt.Width, opt.Height)
	}
	face, err := newFace(12)
	if err != nil {
		return nil, fmt.Errorf("graph font: %w", err)
	}
	defer face.Close()
	titleFace, err := newFace(15)
	if err != nil {
		return nil, fmt.Errorf("graph font: %w", err)
	}
	defer titleFace.Close()

	r := &renderer{img: image.NewRGBA(image.Rect(0, 0, opt.Width, opt.Height))}
	draw.Draw(r.img, r.img.Bounds(), image.White, image.Point{}, draw.Src)
	from, to := g.From.Unix(), g.To.Unix()
	if to <= from {
		to = from + 1
	}

	top := 8
	if opt.Title != "" {
		r.text(titleFace, 10, top+13, opt.Title, color.Black)
		top += 22
	}
	// annotation titles in up to 3 rows above the plot
	left, right := 64, opt.Width-16
	plotW := right - left
	xOf := func(t int64) int { return left + int(float64(t-from)/float64(to-from)*float64(plotW)) }
	type placed struct{ x0, x1 int }
	rows := make([][]placed, 3)
	labelTop := top
	var labels []func(plotTop int)
	usedRows := 0
	for _, a := range g.Annotations {
		x := max(left, min(right, xOf(a.From.Unix())))
		title := a.Title
		wpx := r.width(face, title)
		for wpx > 220 && len([]rune(title)) > 4 {
			rs := []rune(title)
			title = string(rs[:len(rs)-2]) + "…"
			wpx = r.width(face, title)
		}
		if x+wpx > right {
			x = right - wpx
		}
		row := -1
		for i := range rows {
			free := true
			for _, p := range rows[i] {
				if x < p.x1+6 && x+wpx+6 > p.x0 {
					free = false
					break
				}
			}
			if free {
				row = i
				break
			}
		}
		if row < 0 {
			continue // no room: the band is still drawn
		}
		rows[row] = append(rows[row], placed{x, x + wpx})
		usedRows = max(usedRows, row+1)
		y := labelTop + 12 + row*15
		ax := max(left, min(right, xOf(a.From.Unix())))
		labels = append(labels, func(plotTop int) {
			r.text(face, x, y, title, color.RGBA{0x80, 0x40, 0x00, 0xff})
			r.vline(ax, y+3, plotTop, color.RGBA{0xcc, 0x77, 0x00, 0xff})
		})
	}
	plotTop := top + usedRows*15 + 6
	legendH := 18
	footerH := 0
	if opt.Footer != "" {
		footerH = 16
	}
	plotBottom := opt.Height - 22 - legendH - footerH
	if plotBottom-plotTop < 40 {
		return nil, fmt.Errorf("graph image %d×%d is too small for its labels", opt.Width, opt.Height)
	}

	// bands
	for _, a := range g.Annotations {
		x0 := max(left, min(right, xOf(a.From.Unix())))
		x1 := max(left, min(right, xOf(a.To.Unix())))
		if x1-x0 < 2 {
			x1 = x0 + 2
		}
		r.fill(image.Rect(x0, plotTop, x1, plotBottom), AnnotationColor)
	}
	for _, l := range labels {
		l(plotTop)
	}

	extra := make([]float64, 0, len(opt.ReferenceLines))
	for _, rl := range opt.ReferenceLines {
		extra = append(extra, rl.Value)
	}
	lo, hi, _ := ValueRange(g.Series, extra...)
	ticks := TicksFor(g.Series, lo, hi, max(3, (plotBottom-plotTop)/50))
	lo, hi = ticks[0], ticks[len(ticks)-1]
	yOf := func(v float64) int {
		return plotBottom - int(math.Round((v-lo)/(hi-lo)*float64(plotBottom-plotTop)))
	}
	grid := color.RGBA{0xe4, 0xe4, 0xe4, 0xff}
	gray := color.RGBA{0x55, 0x55, 0x55, 0xff}
	for _, v := range ticks {
		y := yOf(v)
		r.hline(left, right, y, grid)
		s := FormatValue(v)
		r.text(face, left-6-r.width(face, s), y+4, s, gray)
	}
	for _, t := range TimeTicks(g.From, g.To, max(2, plotW/90), opt.Location) {
		x := xOf(t.Unix())
		r.vline(x, plotTop, plotBottom, grid)
		s := TimeLabel(t, opt.Location)
		r.text(face, x-r.width(face, s)/2, plotBottom+15, s, gray)
	}
	r.hline(left, right, plotBottom, gray)
	r.vline(left, plotTop, plotBottom, gray)

	for i, s := range g.Series {
		c := Palette[i%len(Palette)]
		pts := Decimate(s.Points, from, to, plotW)
		for j := 1; j < len(pts); j++ {
			r.line(xOf(pts[j-1].T), yOf(pts[j-1].V), xOf(pts[j].T), yOf(pts[j].V), c)
		}
		if len(pts) == 1 {
			r.fill(image.Rect(xOf(pts[0].T)-1, yOf(pts[0].V)-1, xOf(pts[0].T)+2, yOf(pts[0].V)+2), c)
		}
	}
	red := color.RGBA{0xd0, 0x20, 0x20, 0xff}
	for _, rl := range opt.ReferenceLines {
		y := yOf(rl.Value)
		for x := left; x < right; x += 8 {
			r.hline(x, min(x+4, right), y, red)
		}
		r.text(face, right-r.width(face, rl.Label)-2, y+13, rl.Label, red)
	}

	// legend
	x, y := left, plotBottom+22+12
	for i, s := range g.Series {
		wpx := r.width(face, s.Label) + 22
		if x+wpx > right {
			break
		}
		r.fill(image.Rect(x, y-9, x+10, y+1), Palette[i%len(Palette)])
		r.text(face, x+14, y, s.Label, color.Black)
		x += wpx
	}
	if len(g.Series) == 0 {
		r.text(face, left+plotW/2-30, (plotTop+plotBottom)/2, "no data", gray)
	}
	if opt.Footer != "" {
		r.text(face, 10, opt.Height-5, opt.Footer, gray)
	}
	return r.img, nil
}

type renderer struct {
	img *image.RGBA
}

func (r *renderer) width(f font.Face, s string) int {
	return font.MeasureString(f, s).Ceil()
}

func (r *renderer) text(f font.Face, x, y int, s string, c color.Color) {
	d := &font.Drawer{Dst: r.img, Src: image.NewUniform(c), Face: f, Dot: fixed.P(x, y)}
	d.DrawString(s)
}

func (r *renderer) fill(rect image.Rectangle, c color.Color) {
	draw.Draw(r.img, rect.Intersect(r.img.Bounds()), image.NewUniform(c), image.Point{}, draw.Over)
}

func (r *renderer) hline(x0, x1, y int, c color.RGBA) {
	r.fill(image.Rect(x0, y, x1+1, y+1), c)
}

func (r *renderer) vline(x, y0, y1 int, c color.RGBA) {
	if y1 < y0 {
		y0, y1 = y1, y0
	}
	r.fill(image.Rect(x, y0, x+1, y1+1), c)
}

// line draws a 2-pixel wide line (Bresenham).
func (r *renderer) line(x0, y0, x1, y1 int, c color.RGBA) {
	dx, dy := abs(x1-x0), -abs(y1-y0)
	sx, sy := 1, 1
	if x0 > x1 {
		sx = -1
	}
	if y0 > y1 {
		sy = -1
	}
	e := dx + dy
	b := r.img.Bounds()
	for {
		for _, p := range [...]image.Point{{x0, y0}, {x0 + 1, y0}, {x0, y0 + 1}} {
			if p.In(b) {
				r.img.SetRGBA(p.X, p.Y, c)
			}
		}
		if x0 == x1 && y0 == y1 {
			return
		}
		e2 := 2 * e
		if e2 >= dy {
			e += dy
			x0 += sx
		}
		if e2 <= dx {
			e += dx
			y0 += sy
		}
	}
}

func abs(v int) int {
	if v < 0 {
		return -v
	}
	return v
}
