package pdfsign

import (
	"bytes"
	"fmt"
	"image"
	"image/png"
	"math"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"golang.org/x/image/draw"
)

// MaxImagePixels bounds the drawn signature image; larger images are scaled down.
const MaxImagePixels = 800

// blankAppearance writes the appearance of an empty field: nothing, in the field's box.
func (inc *increment) blankAppearance(r Rect) types.IndirectRef {
	d := types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Form"),
		"BBox": types.NewNumberArray(0, 0, r.width(), r.height())}
	return inc.addStream(d, nil, false)
}

// appearance writes the signed field's appearance: the drawn image above the text lines,
// set in an embedded subset of Go Regular.
func (inc *increment) appearance(r Rect, a Appearance) (types.IndirectRef, error) {
	w, h := r.width(), r.height()
	const pad = 2.0
	tf, err := goRegular()
	if err != nil {
		return types.IndirectRef{}, err
	}
	lines := make([][]byte, len(a.Lines))
	codes := map[byte]bool{}
	size := 7.0
	for i, l := range a.Lines {
		lines[i] = tf.encode(l)
		for _, c := range lines[i] {
			codes[c] = true
		}
		if tw := tf.width(lines[i]); tw > 0 && tw*size > w-2*pad {
			size = math.Max((w-2*pad)/tw, 4)
		}
	}
	textH := float64(len(lines))*size*1.2 + pad
	resources := types.Dict{}
	var content strings.Builder
	if len(a.PNG) > 0 {
		img, err := inc.image(a.PNG)
		if err != nil {
			return types.IndirectRef{}, err
		}
		resources["XObject"] = types.Dict{"Im1": img.ref}
		boxW, boxH := w-2*pad, h-textH-pad
		scale := math.Min(boxW/float64(img.w), boxH/float64(img.h))
		iw, ih := float64(img.w)*scale, float64(img.h)*scale
		if iw > 0 && ih > 0 {
			fmt.Fprintf(&content, "q %.2f 0 0 %.2f %.2f %.2f cm /Im1 Do Q\n", iw, ih, pad+(boxW-iw)/2, textH+(boxH-ih)/2)
		}
	}
	if len(lines) > 0 {
		resources["Font"] = types.Dict{"F1": inc.addFont(tf, codes)}
		fmt.Fprintf(&content, "BT 0 0 0 rg /F1 %.2f Tf %.2f TL %.2f %.2f Td\n", size, size*1.2, pad, textH-size)
		for i, l := range lines {
			if i > 0 {
				content.WriteString("T* ")
			}
			fmt.Fprintf(&content, "(%s) Tj\n", escapeLiteral(l))
		}
		content.WriteString("ET\n")
	}
	d := types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Form"),
		"BBox": types.NewNumberArray(0, 0, w, h), "Resources": resources}
	return inc.addStream(d, []byte(content.String()), true), nil
}

type imageRef struct {
	ref  types.IndirectRef
	w, h int
}

// image writes a PNG as an RGB image with its transparency as a soft mask.
func (inc *increment) image(data []byte) (imageRef, error) {
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return imageRef{}, fmt.Errorf("pdfsign: signature image: %w", err)
	}
	b := src.Bounds()
	if b.Dx() > MaxImagePixels || b.Dy() > MaxImagePixels {
		s := float64(MaxImagePixels) / float64(max(b.Dx(), b.Dy()))
		dst := image.NewNRGBA(image.Rect(0, 0, max(1, int(float64(b.Dx())*s)), max(1, int(float64(b.Dy())*s))))
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, b, draw.Src, nil)
		src, b = dst, dst.Bounds()
	}
	rgb := make([]byte, 0, b.Dx()*b.Dy()*3)
	alpha := make([]byte, 0, b.Dx()*b.Dy())
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			c := color8(src, x, y)
			rgb = append(rgb, c[0], c[1], c[2])
			alpha = append(alpha, c[3])
		}
	}
	common := func(cs string) types.Dict {
		return types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(b.Dx()),
			"Height": types.Integer(b.Dy()), "ColorSpace": types.Name(cs), "BitsPerComponent": types.Integer(8)}
	}
	mask := inc.addStream(common("DeviceGray"), alpha, true)
	d := common("DeviceRGB")
	d["SMask"] = mask
	return imageRef{ref: inc.addStream(d, rgb, true), w: b.Dx(), h: b.Dy()}, nil
}

// color8 returns the pixel as non-premultiplied 8-bit RGBA.
func color8(img image.Image, x, y int) [4]byte {
	r, g, b, a := img.At(x, y).RGBA()
	if a == 0 {
		return [4]byte{255, 255, 255, 0}
	}
	un := func(v uint32) byte { return byte((v * 0xffff / a) >> 8) }
	return [4]byte{un(r), un(g), un(b), byte(a >> 8)}
}

// escapeLiteral escapes bytes for a PDF literal string.
func escapeLiteral(b []byte) string {
	var sb strings.Builder
	for _, c := range b {
		switch {
		case c == '(' || c == ')' || c == '\\':
			sb.WriteByte('\\')
			sb.WriteByte(c)
		case c < 0x20 || c > 0x7e:
			fmt.Fprintf(&sb, "\\%03o", c)
		default:
			sb.WriteByte(c)
		}
	}
	return sb.String()
}
