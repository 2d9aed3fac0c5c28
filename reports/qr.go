package reports

import (
	"image/color"

	"github.com/boombuler/barcode/qr"
	"github.com/jung-kurt/gofpdf"
)

// qrQuietZone is the blank margin around a QR code, in modules, that scanners need.
const qrQuietZone = 4

// qrMatrix encodes content as a QR code (error correction level M): dark modules are true.
func qrMatrix(content string) ([][]bool, error) {
	code, err := qr.Encode(content, qr.M, qr.Auto)
	if err != nil {
		return nil, err
	}
	b := code.Bounds()
	m := make([][]bool, b.Dy())
	for y := range m {
		m[y] = make([]bool, b.Dx())
		for x := range m[y] {
			m[y][x] = color.GrayModel.Convert(code.At(b.Min.X+x, b.Min.Y+y)).(color.Gray).Y < 128
		}
	}
	return m, nil
}

// qrTemplate draws the QR code once as vector shapes (one rectangle per run of dark modules,
// on a white square with the quiet zone) into a template that every page then reuses, so it
// stays sharp at any resolution and costs one object however many pages there are.
func qrTemplate(pdf *gofpdf.Fpdf, content string) (gofpdf.Template, error) {
	m, err := qrMatrix(content)
	if err != nil {
		return nil, err
	}
	side := float64(len(m) + 2*qrQuietZone)
	return pdf.CreateTemplateCustom(gofpdf.PointType{}, gofpdf.SizeType{Wd: side, Ht: side}, func(t *gofpdf.Tpl) {
		t.SetFillColor(255, 255, 255)
		t.Rect(0, 0, side, side, "F")
		t.SetFillColor(0, 0, 0)
		for y, row := range m {
			for x := 0; x < len(row); {
				if !row[x] {
					x++
					continue
				}
				run := x
				for run < len(row) && row[run] {
					run++
				}
				t.Rect(float64(x+qrQuietZone), float64(y+qrQuietZone), float64(run-x), 1, "F")
				x = run
			}
		}
	}), nil
}
