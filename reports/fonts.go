package reports

import (
	"github.com/jung-kurt/gofpdf"
	"golang.org/x/image/font/gofont/gobold"
	"golang.org/x/image/font/gofont/goitalic"
	"golang.org/x/image/font/gofont/goregular"
)

// fontFamily is the UTF-8 TrueType family every document is set in: the Go fonts, which come
// from a Go module (no font file in the repository) and cover Indonesian text and the ▲▼ marks.
const fontFamily = "go"

// addFonts registers the regular, bold and italic faces; gofpdf embeds only the glyphs used.
func addFonts(pdf *gofpdf.Fpdf) {
	pdf.AddUTF8FontFromBytes(fontFamily, "", goregular.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "B", gobold.TTF)
	pdf.AddUTF8FontFromBytes(fontFamily, "I", goitalic.TTF)
}
