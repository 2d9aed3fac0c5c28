package pdfsign

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"image"
	"image/png"
	"math"
	"strings"
	"sync"

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

// preparedImage is a signature image ready to embed: its size and its compressed RGB and
// alpha samples.
type preparedImage struct {
	w, h       int
	rgb, alpha []byte
}

// lastImage keeps the most recent prepared image: in a batch, every document gets the same
// drawing, and decoding and compressing it once is enough.
var lastImage struct {
	sync.Mutex
	sum [32]byte
	img *preparedImage
}

// prepareImage decodes a PNG, scales it down to MaxImagePixels, and splits it into RGB
// (transparent pixels white) and an alpha channel, both compressed.
func prepareImage(data []byte) (*preparedImage, error) {
	sum := sha256.Sum256(data)
	lastImage.Lock()
	if lastImage.img != nil && lastImage.sum == sum {
		defer lastImage.Unlock()
		return lastImage.img, nil
	}
	lastImage.Unlock()
	src, err := png.Decode(bytes.NewReader(data))
	if err != nil {
		return nil, fmt.Errorf("pdfsign: signature image: %w", err)
	}
	b := src.Bounds()
	w, h := b.Dx(), b.Dy()
	if w > MaxImagePixels || h > MaxImagePixels {
		s := float64(MaxImagePixels) / float64(max(w, h))
		w, h = max(1, int(float64(w)*s)), max(1, int(float64(h)*s))
	}
	nrgba, ok := src.(*image.NRGBA)
	if !ok || w != b.Dx() || h != b.Dy() || b.Min != (image.Point{}) {
		nrgba = image.NewNRGBA(image.Rect(0, 0, w, h))
		if w != b.Dx() || h != b.Dy() {
			draw.CatmullRom.Scale(nrgba, nrgba.Bounds(), src, b, draw.Src, nil)
		} else {
			draw.Draw(nrgba, nrgba.Bounds(), src, b.Min, draw.Src)
		}
	}
	rgb := make([]byte, 0, w*h*3)
	alpha := make([]byte, 0, w*h)
	for y := 0; y < h; y++ {
		row := nrgba.Pix[y*nrgba.Stride : y*nrgba.Stride+4*w]
		for x := 0; x < 4*w; x += 4 {
			if a := row[x+3]; a == 0 {
				rgb = append(rgb, 255, 255, 255)
				alpha = append(alpha, 0)
			} else {
				rgb = append(rgb, row[x], row[x+1], row[x+2])
				alpha = append(alpha, a)
			}
		}
	}
	img := &preparedImage{w: w, h: h, rgb: deflate(rgb), alpha: deflate(alpha)}
	lastImage.Lock()
	lastImage.sum, lastImage.img = sum, img
	lastImage.Unlock()
	return img, nil
}

// image writes a PNG as an RGB image with its transparency as a soft mask.
func (inc *increment) image(data []byte) (imageRef, error) {
	img, err := prepareImage(data)
	if err != nil {
		return imageRef{}, err
	}
	common := func(cs string) types.Dict {
		return types.Dict{"Type": types.Name("XObject"), "Subtype": types.Name("Image"), "Width": types.Integer(img.w),
			"Height": types.Integer(img.h), "ColorSpace": types.Name(cs), "BitsPerComponent": types.Integer(8)}
	}
	mask := inc.addDeflated(common("DeviceGray"), img.alpha)
	d := common("DeviceRGB")
	d["SMask"] = mask
	return imageRef{ref: inc.addDeflated(d, img.rgb), w: img.w, h: img.h}, nil
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
