package pdfsign

import (
	"crypto/sha256"
	"encoding/binary"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/sfnt"
	"golang.org/x/image/math/fixed"
	"golang.org/x/text/encoding/charmap"
)

// The appearance text is set in Go Regular (golang.org/x/image/font/gofont, BSD licence),
// embedded as a TrueType subset of the glyphs each appearance uses, as a simple font with
// WinAnsiEncoding: PDF/A wants every font embedded, and a reader then draws exactly the glyphs
// the signer saw. golang.org/x/image/font/sfnt reads the font; the subset (the same tables with
// the outlines of unused glyphs left out) is written here, as no maintained Go library
// subsets a font in memory (pdfcpu's subsetter works only on fonts installed on disk).

// textFont is Go Regular with the metrics the appearance needs, in font units.
type textFont struct {
	sfnt       *sfnt.Font
	unitsPerEm int
	glyph      [256]sfnt.GlyphIndex // WinAnsi code → glyph
	advance    [256]int             // WinAnsi code → advance width
	ascent     int
	descent    int // below the baseline, positive
	capHeight  int
	bbox       [4]int
	tables     map[string][]byte
}

var goRegular = sync.OnceValues(func() (*textFont, error) { return loadFont(goregular.TTF) })

func loadFont(ttf []byte) (*textFont, error) {
	f, err := sfnt.Parse(ttf)
	if err != nil {
		return nil, err
	}
	var buf sfnt.Buffer
	tf := &textFont{sfnt: f, unitsPerEm: int(f.UnitsPerEm())}
	ppem := fixed.I(tf.unitsPerEm)
	for c := 32; c < 256; c++ {
		r := charmap.Windows1252.DecodeByte(byte(c))
		gi, err := f.GlyphIndex(&buf, r)
		if err != nil || gi == 0 {
			continue
		}
		adv, err := f.GlyphAdvance(&buf, gi, ppem, font.HintingNone)
		if err != nil {
			return nil, err
		}
		tf.glyph[c], tf.advance[c] = gi, adv.Round()
	}
	m, err := f.Metrics(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	tf.ascent, tf.descent, tf.capHeight = m.Ascent.Round(), m.Descent.Round(), m.CapHeight.Round()
	b, err := f.Bounds(&buf, ppem, font.HintingNone)
	if err != nil {
		return nil, err
	}
	// sfnt's bounds have y pointing down.
	tf.bbox = [4]int{b.Min.X.Round(), -b.Max.Y.Round(), b.Max.X.Round(), -b.Min.Y.Round()}
	if tf.tables, err = sfntTables(ttf); err != nil {
		return nil, err
	}
	return tf, nil
}

// encode maps s to WinAnsi codes the font has a glyph for (others become '?').
func (tf *textFont) encode(s string) []byte {
	out := make([]byte, 0, len(s))
	for _, r := range s {
		b, ok := charmap.Windows1252.EncodeRune(r)
		if !ok || b < 32 || tf.glyph[b] == 0 {
			b = '?'
		}
		out = append(out, b)
	}
	return out
}

// width is the advance of WinAnsi text in text space units per point of font size.
func (tf *textFont) width(text []byte) float64 {
	w := 0
	for _, c := range text {
		w += tf.advance[c]
	}
	return float64(w) / float64(tf.unitsPerEm)
}

// sfntTables splits a TrueType file into its tables.
func sfntTables(ttf []byte) (map[string][]byte, error) {
	if len(ttf) < 12 {
		return nil, errors.New("pdfsign: font too short")
	}
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	tables := map[string][]byte{}
	for i := 0; i < n; i++ {
		rec := ttf[12+16*i:]
		off, length := binary.BigEndian.Uint32(rec[8:]), binary.BigEndian.Uint32(rec[12:])
		if uint64(off)+uint64(length) > uint64(len(ttf)) {
			return nil, errors.New("pdfsign: font table outside the file")
		}
		tables[string(rec[:4])] = ttf[off : off+length]
	}
	for _, tag := range []string{"head", "hhea", "maxp", "hmtx", "loca", "glyf", "cmap"} {
		if tables[tag] == nil {
			return nil, fmt.Errorf("pdfsign: font has no %s table", tag)
		}
	}
	return tables, nil
}

// glyphData returns glyph gi's outline in the original glyf table.
func (tf *textFont) glyphData(gi int) []byte {
	loca, glyf := tf.tables["loca"], tf.tables["glyf"]
	var from, to int
	if binary.BigEndian.Uint16(tf.tables["head"][50:]) == 0 {
		from, to = 2*int(binary.BigEndian.Uint16(loca[2*gi:])), 2*int(binary.BigEndian.Uint16(loca[2*gi+2:]))
	} else {
		from, to = int(binary.BigEndian.Uint32(loca[4*gi:])), int(binary.BigEndian.Uint32(loca[4*gi+4:]))
	}
	if from > to || to > len(glyf) {
		return nil
	}
	return glyf[from:to]
}

// components lists the glyphs a composite glyph is built from.
func components(g []byte) []int {
	if len(g) < 10 || int16(binary.BigEndian.Uint16(g)) >= 0 {
		return nil
	}
	var out []int
	for p := 10; p+4 <= len(g); {
		flags := binary.BigEndian.Uint16(g[p:])
		out = append(out, int(binary.BigEndian.Uint16(g[p+2:])))
		p += 4
		if flags&0x0001 != 0 { // ARG_1_AND_2_ARE_WORDS
			p += 4
		} else {
			p += 2
		}
		switch {
		case flags&0x0008 != 0: // WE_HAVE_A_SCALE
			p += 2
		case flags&0x0040 != 0: // WE_HAVE_AN_X_AND_Y_SCALE
			p += 4
		case flags&0x0080 != 0: // WE_HAVE_A_TWO_BY_TWO
			p += 8
		}
		if flags&0x0020 == 0 { // MORE_COMPONENTS
			break
		}
	}
	return out
}

// subset returns a TrueType file with the outlines of the glyphs for the given WinAnsi codes
// (and .notdef, and the parts of composite glyphs); every other glyph is kept empty, so
// that glyph numbers, the cmap and the metrics stay as they are.
func (tf *textFont) subset(codes map[byte]bool) []byte {
	numGlyphs := int(binary.BigEndian.Uint16(tf.tables["maxp"][4:]))
	keep := map[int]bool{0: true}
	var queue []int
	for c := range codes {
		if gi := int(tf.glyph[c]); gi != 0 {
			queue = append(queue, gi)
		}
	}
	for len(queue) > 0 {
		gi := queue[len(queue)-1]
		queue = queue[:len(queue)-1]
		if keep[gi] || gi >= numGlyphs {
			continue
		}
		keep[gi] = true
		queue = append(queue, components(tf.glyphData(gi))...)
	}
	var glyf []byte
	loca := make([]byte, 4*(numGlyphs+1))
	for gi := 0; gi < numGlyphs; gi++ {
		if keep[gi] {
			glyf = append(glyf, tf.glyphData(gi)...)
			for len(glyf)%4 != 0 {
				glyf = append(glyf, 0)
			}
		}
		binary.BigEndian.PutUint32(loca[4*gi+4:], uint32(len(glyf)))
	}
	head := append([]byte(nil), tf.tables["head"]...)
	binary.BigEndian.PutUint32(head[8:], 0)  // checkSumAdjustment, set below
	binary.BigEndian.PutUint16(head[50:], 1) // indexToLocFormat: long offsets
	tables := map[string][]byte{"head": head, "loca": loca, "glyf": glyf}
	for _, tag := range []string{"hhea", "maxp", "hmtx", "cmap", "cvt ", "fpgm", "prep", "OS/2"} {
		if t := tf.tables[tag]; t != nil {
			tables[tag] = t
		}
	}
	if post := tf.tables["post"]; len(post) >= 32 {
		p := append([]byte(nil), post[:32]...)
		binary.BigEndian.PutUint32(p, 0x00030000) // version 3: no glyph names
		tables["post"] = p
	}
	out := writeSFNT(tables)
	binary.BigEndian.PutUint32(out[headOffset(out):][8:], 0xB1B0AFBA-checksum(out))
	return out
}

// writeSFNT writes a TrueType file from its tables.
func writeSFNT(tables map[string][]byte) []byte {
	tags := make([]string, 0, len(tables))
	for t := range tables {
		tags = append(tags, t)
	}
	sort.Strings(tags)
	n := len(tags)
	entrySelector := 0
	for 1<<(entrySelector+1) <= n {
		entrySelector++
	}
	out := make([]byte, 12+16*n)
	binary.BigEndian.PutUint32(out, 0x00010000)
	binary.BigEndian.PutUint16(out[4:], uint16(n))
	binary.BigEndian.PutUint16(out[6:], uint16(16<<entrySelector))
	binary.BigEndian.PutUint16(out[8:], uint16(entrySelector))
	binary.BigEndian.PutUint16(out[10:], uint16(16*n-16<<entrySelector))
	for i, tag := range tags {
		data := tables[tag]
		rec := out[12+16*i:]
		copy(rec, tag)
		binary.BigEndian.PutUint32(rec[4:], checksum(data))
		binary.BigEndian.PutUint32(rec[8:], uint32(len(out)))
		binary.BigEndian.PutUint32(rec[12:], uint32(len(data)))
		out = append(out, data...)
		for len(out)%4 != 0 {
			out = append(out, 0)
		}
	}
	return out
}

func headOffset(ttf []byte) int {
	n := int(binary.BigEndian.Uint16(ttf[4:]))
	for i := 0; i < n; i++ {
		if rec := ttf[12+16*i:]; string(rec[:4]) == "head" {
			return int(binary.BigEndian.Uint32(rec[8:]))
		}
	}
	return 0
}

// checksum is the TrueType table checksum: the sum of big-endian 32-bit words.
func checksum(b []byte) uint32 {
	var sum uint32
	for i := 0; i < len(b); i += 4 {
		var w [4]byte
		copy(w[:], b[i:])
		sum += binary.BigEndian.Uint32(w[:])
	}
	return sum
}

// addFont writes the font for the given text (WinAnsi codes) into the update: the subset
// font file, its descriptor and the font dictionary, and returns the dictionary's reference.
func (inc *increment) addFont(tf *textFont, codes map[byte]bool) types.IndirectRef {
	file := tf.subset(codes)
	sum := sha256.Sum256(file)
	tag := make([]byte, 6)
	for i := range tag {
		tag[i] = 'A' + sum[i]%26
	}
	name := string(tag) + "+GoRegular"
	fileRef := inc.addStream(types.Dict{"Length1": types.Integer(len(file))}, file, true)
	scale := func(v int) int { return v * 1000 / tf.unitsPerEm }
	descriptor := types.Dict{"Type": types.Name("FontDescriptor"), "FontName": types.Name(name), "Flags": types.Integer(32),
		"FontBBox":    types.NewIntegerArray(scale(tf.bbox[0]), scale(tf.bbox[1]), scale(tf.bbox[2]), scale(tf.bbox[3])),
		"ItalicAngle": types.Integer(0), "Ascent": types.Integer(scale(tf.ascent)), "Descent": types.Integer(-scale(tf.descent)),
		"CapHeight": types.Integer(scale(tf.capHeight)), "StemV": types.Integer(80), "FontFile2": fileRef}
	first, last := 255, 32
	for c := range codes {
		first, last = min(first, int(c)), max(last, int(c))
	}
	if first > last {
		first, last = 32, 32
	}
	widths := types.Array{}
	for c := first; c <= last; c++ {
		widths = append(widths, types.Integer(scale(tf.advance[c])))
	}
	return inc.add(types.Dict{"Type": types.Name("Font"), "Subtype": types.Name("TrueType"), "BaseFont": types.Name(name),
		"FirstChar": types.Integer(first), "LastChar": types.Integer(last), "Widths": widths,
		"Encoding": types.Name("WinAnsiEncoding"), "FontDescriptor": inc.add(descriptor.PDFString())}.PDFString())
}
