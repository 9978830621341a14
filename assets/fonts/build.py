#!/usr/bin/python3
"""Builds PWGSans-*.ttf: Fyne's bundled Noto Sans with the arrows and key
symbols of Fyne's InterSymbols font copied in.

Why: Noto Sans (Fyne's text font) has no arrows. Fyne draws "→" from its
InterSymbols fallback, and the text shaper (go-text) keeps a following space
in the same run as the arrow; InterSymbols has no space, so "→ " drew the
arrow, a replacement box and a gap. With the arrows in the text font itself
the space never leaves Noto Sans. The glyphs are InterSymbols' own, scaled to
Noto's 1000 units per em, so arrows look exactly as before.

Usage (needs python3-fonttools; Debian: apt-get install python3-fonttools):
    /usr/bin/python3 assets/fonts/build.py "$(go env GOMODCACHE)/fyne.io/fyne/v2@v2.8.1/theme/font"
Both fonts are under the SIL Open Font License 1.1 (OFL.txt, LICENSE_Inter.txt).
"""
import os
import sys

from fontTools.pens.recordingPen import RecordingPen
from fontTools.pens.transformPen import TransformPen
from fontTools.pens.ttGlyphPen import TTGlyphPen
from fontTools.ttLib import TTFont

STYLES = ["Regular", "Bold", "Italic", "BoldItalic"]


def add_symbols(base, sym):
    scale = base["head"].unitsPerEm / sym["head"].unitsPerEm
    have = base.getBestCmap()
    symcmap = sym.getBestCmap()
    order = list(base.getGlyphOrder())
    sym_glyphs = sym.getGlyphSet()
    added = {}
    for cp, name in sorted(symcmap.items()):
        if cp in have:
            continue
        new = added.get(name)
        if new is None:
            new = "pwgsym." + name
            rec = RecordingPen()
            sym_glyphs[name].draw(rec)
            pen = TTGlyphPen(None)
            rec.replay(TransformPen(pen, (scale, 0, 0, scale, 0, 0)))
            order.append(new)
            base.setGlyphOrder(order)
            base["glyf"].glyphOrder = order
            base["glyf"].glyphs[new] = pen.glyph()  # no hinting program: Noto's fpgm is not Inter's
            adv, lsb = sym["hmtx"][name]
            base["hmtx"][new] = (round(adv * scale), round(lsb * scale))
            added[name] = new
        for table in base["cmap"].tables:
            if table.isUnicode() and (cp <= 0xFFFF or table.format in (12, 13)):
                table.cmap[cp] = new
    base.setGlyphOrder(order)
    base["maxp"].numGlyphs = len(order)
    return len(added)


def rename(font, style):
    for rec in font["name"].names:
        s = rec.toUnicode()
        s2 = s.replace("Noto Sans", "PWG Sans").replace("NotoSans", "PWGSans")
        if s2 != s:
            rec.string = s2


def main():
    src = sys.argv[1]
    out = os.path.dirname(os.path.abspath(__file__))
    for style in STYLES:
        base = TTFont(os.path.join(src, f"NotoSans-{style}.ttf"))
        sym = TTFont(os.path.join(src, "InterSymbols-Regular.ttf"))
        n = add_symbols(base, sym)
        rename(base, style)
        path = os.path.join(out, f"PWGSans-{style}.ttf")
        base.save(path)
        print(path, n, "glyphs added")


if __name__ == "__main__":
    main()
