package reports

import (
	"bytes"
	"crypto/sha256"
	"io"

	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// fontFamily is the UTF-8 TrueType family every document is set in: the Go fonts, which come
// from a Go module (no font file in the repository) and cover Indonesian text and the ▲▼ marks.
// gofpdf names a UTF-8 font "utf8" + its lower-cased family (+ style), so the family starts with
// three placeholder letters: "utf8tag" is then exactly as long as a subset tag ("ABCDEF+"),
// which finishPDF writes in its place without moving a byte (see subsetTagPlaceholder).
const fontFamily = "taggofont"

// subsetTagPlaceholder is what gofpdf writes where a subset tag belongs.
const subsetTagPlaceholder = "utf8tag"

// pdfVersion is the version the files' header states: they use transparency (1.4) and
// signature fields with DocMDP (1.5); gofpdf writes 1.3.
const pdfVersion = "1.7"

// addFonts registers the regular, bold and italic faces; gofpdf embeds only the glyphs used.
func addFonts(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF)
}

// finishPDF writes the document to w as a sound file: the header states the version the file
// needs, and each embedded subset's name carries a subset tag (six capital letters and "+",
// derived from the document, so the same document gets the same tags). Both rewrites keep
// every byte's offset, so the cross-reference table stays true.
func finishPDF(pdf *gofpdf.Fpdf, w io.Writer) error {
	var buf bytes.Buffer
	if err := pdf.Output(&buf); err != nil {
		return err
	}
	b := buf.Bytes()
	if bytes.HasPrefix(b, []byte("%PDF-1.3")) {
		copy(b[len("%PDF-"):], pdfVersion)
	}
	sum := sha256.Sum256(b)
	for _, key := range []string{"/BaseFont /", "/FontName /"} {
		pattern := []byte(key + subsetTagPlaceholder)
		for off := 0; ; {
			i := bytes.Index(b[off:], pattern)
			if i < 0 {
				break
			}
			i += off
			copy(b[i+len(key):], subsetTag(sum, b[i+len(pattern):]))
			off = i + len(pattern)
		}
	}
	_, err := w.Write(b)
	return err
}

// subsetTag derives a font's tag from the document's hash and the font's name (what follows
// the placeholder, up to the next delimiter), so that each face gets its own.
func subsetTag(docSum [32]byte, rest []byte) []byte {
	end := bytes.IndexAny(rest, " /\n\r<>[]()")
	if end < 0 {
		end = len(rest)
	}
	h := sha256.Sum256(append(docSum[:], rest[:end]...))
	tag := make([]byte, 0, len(subsetTagPlaceholder))
	for _, c := range h[:6] {
		tag = append(tag, 'A'+c%26)
	}
	return append(tag, '+')
}
