package pdfsign

import (
	"bytes"
	"compress/zlib"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// increment is one incremental update being written: new and changed objects, then a
// cross-reference section for exactly those objects and a trailer pointing to the previous one.
type increment struct {
	base    []byte        // the file as it was
	buf     bytes.Buffer  // the update, appended after base
	offsets map[int]int64 // object number → offset in the whole file
	next    int           // the next free object number
}

func newIncrement(base []byte, size int) *increment {
	inc := &increment{base: base, offsets: map[int]int64{}, next: size}
	if len(base) > 0 && base[len(base)-1] != '\n' && base[len(base)-1] != '\r' {
		inc.buf.WriteByte('\n')
	}
	return inc
}

// reserve allocates a new object number.
func (inc *increment) reserve() types.IndirectRef {
	ref := *types.NewIndirectRef(inc.next, 0)
	inc.next++
	return ref
}

func (inc *increment) offset() int64 { return int64(len(inc.base) + inc.buf.Len()) }

// put writes object ref with the given body (a serialised PDF object).
func (inc *increment) put(ref types.IndirectRef, body string) {
	inc.offsets[ref.ObjectNumber.Value()] = inc.offset()
	fmt.Fprintf(&inc.buf, "%d %d obj\n%s\nendobj\n", ref.ObjectNumber, ref.GenerationNumber, body)
}

// add writes a new object and returns its reference.
func (inc *increment) add(body string) types.IndirectRef {
	ref := inc.reserve()
	inc.put(ref, body)
	return ref
}

// addStream writes a new stream object, compressing data when compress is set.
func (inc *increment) addStream(dict types.Dict, data []byte, compress bool) types.IndirectRef {
	if compress {
		return inc.addDeflated(dict, deflate(data))
	}
	return inc.addRawStream(dict, data)
}

// addDeflated writes a new stream object whose data is already zlib-compressed.
func (inc *increment) addDeflated(dict types.Dict, z []byte) types.IndirectRef {
	dict["Filter"] = types.Name("FlateDecode")
	return inc.addRawStream(dict, z)
}

func (inc *increment) addRawStream(dict types.Dict, data []byte) types.IndirectRef {
	dict["Length"] = types.Integer(len(data))
	ref := inc.reserve()
	inc.offsets[ref.ObjectNumber.Value()] = inc.offset()
	fmt.Fprintf(&inc.buf, "%d 0 obj\n%s\nstream\n", ref.ObjectNumber, dict.PDFString())
	inc.buf.Write(data)
	inc.buf.WriteString("\nendstream\nendobj\n")
	return ref
}

// zlibWriters are reused: a new compressor allocates over half a megabyte of state.
var zlibWriters = sync.Pool{New: func() any { return zlib.NewWriter(nil) }}

// deflate compresses data with zlib (FlateDecode).
func deflate(data []byte) []byte {
	var z bytes.Buffer
	w := zlibWriters.Get().(*zlib.Writer)
	w.Reset(&z)
	w.Write(data)
	w.Close()
	zlibWriters.Put(w)
	return z.Bytes()
}

// Width of the /ByteRange placeholder: four ten-digit numbers fit.
const byteRangeWidth = 48

// finish writes the signature value and the changed catalog and form, closes the update,
// then fills in /ByteRange and signs.
func (inc *increment) finish(ctx context.Context, d *document, req Request) ([]byte, error) {
	field, ok := d.created[req.Field]
	var err error
	if !ok {
		field, err = d.ctx.DereferenceDict(d.fields[req.Field])
	}
	if err != nil || field == nil {
		return nil, fmt.Errorf("%w: %q", ErrNoField, req.Field)
	}
	rect, err := fieldRect(field)
	if err != nil {
		return nil, err
	}
	sigRef := inc.reserve()
	if req.Certify {
		d.catalog["Perms"] = types.Dict{"DocMDP": sigRef}
		d.dirty["catalog"] = true
	}
	d.writeFormAndCatalog(inc)
	ap, err := inc.appearance(rect, req.Appearance)
	if err != nil {
		return nil, err
	}
	field = field.Clone().(types.Dict)
	field["V"] = sigRef
	field["AP"] = types.Dict{"N": ap}
	if req.FieldLabel != "" {
		field["TU"] = textString(req.FieldLabel)
	}
	inc.put(d.fields[req.Field], field.PDFString())

	var head strings.Builder
	subFilter := "ETSI.CAdES.detached"
	if req.legacy {
		subFilter = "adbe.pkcs7.detached"
	}
	fmt.Fprintf(&head, "/Type /Sig /Filter /Adobe.PPKLite /SubFilter /%s", subFilter)
	for _, kv := range []struct{ key, val string }{{"Name", req.Name}, {"Reason", req.Reason}, {"Location", req.Location}, {"ContactInfo", req.ContactInfo}} {
		if kv.val != "" {
			fmt.Fprintf(&head, " /%s %s", kv.key, textString(kv.val).PDFString())
		}
	}
	fmt.Fprintf(&head, " /M (%s)", pdfDate(req.Time))
	if req.Certify {
		head.WriteString(" /Reference [<</Type /SigRef /TransformMethod /DocMDP /TransformParams <</Type /TransformParams /P 2 /V /1.2>>>>]")
	}
	return inc.seal(d, sigRef, head.String(), req.Reserve, func(signed []byte) ([]byte, error) { return signCAdES(ctx, signed, req) })
}

// writeFormAndCatalog writes the interactive form and the catalog when the update changed them.
func (d *document) writeFormAndCatalog(inc *increment) {
	if d.dirty["form"] {
		d.acroForm["SigFlags"] = types.Integer(3)
		if d.formRef == nil {
			ref := inc.reserve()
			d.formRef = &ref
			d.catalog["AcroForm"] = ref
			d.dirty["catalog"] = true
		}
		inc.put(*d.formRef, d.acroForm.PDFString())
	}
	if d.dirty["catalog"] {
		inc.put(d.root, d.catalog.PDFString())
	}
}

// seal writes the signature value object ref — a dictionary with the entries in head, a
// /ByteRange and a /Contents of reserve bytes — then the cross-reference section, and fills
// in /ByteRange and the blob that sign makes of the bytes it covers.
func (inc *increment) seal(d *document, ref types.IndirectRef, head string, reserve int, sign func([]byte) ([]byte, error)) ([]byte, error) {
	inc.offsets[ref.ObjectNumber.Value()] = inc.offset()
	fmt.Fprintf(&inc.buf, "%d 0 obj\n<<%s\n/ByteRange ", ref.ObjectNumber, head)
	byteRangeAt := inc.offset()
	inc.buf.Write(bytes.Repeat([]byte{' '}, byteRangeWidth))
	inc.buf.WriteString("\n/Contents ")
	contentsAt := inc.offset()
	inc.buf.WriteByte('<')
	inc.buf.Write(bytes.Repeat([]byte{'0'}, 2*reserve))
	inc.buf.WriteString(">\n>>\nendobj\n")
	out := inc.close(d)
	contentsEnd := contentsAt + 2 + 2*int64(reserve)
	br := fmt.Sprintf("[0 %d %d %d]", contentsAt, contentsEnd, int64(len(out))-contentsEnd)
	copy(out[byteRangeAt:byteRangeAt+byteRangeWidth], fmt.Sprintf("%-*s", byteRangeWidth, br))

	signed := make([]byte, 0, int64(len(out))-contentsEnd+contentsAt)
	signed = append(append(signed, out[:contentsAt]...), out[contentsEnd:]...)
	blob, err := sign(signed)
	if err != nil {
		return nil, err
	}
	if len(blob) > reserve {
		return nil, fmt.Errorf("pdfsign: the signature (%d bytes) does not fit the reserved %d bytes", len(blob), reserve)
	}
	hex.Encode(out[contentsAt+1:], blob)
	return out, nil
}

// close writes the cross-reference section and returns the file with the update.
func (inc *increment) close(d *document) []byte {
	inc.writeXRef(d)
	return append(append(make([]byte, 0, len(inc.base)+inc.buf.Len()), inc.base...), inc.buf.Bytes()...)
}

// writeXRef writes the cross-reference section for the objects of this update and the trailer.
func (inc *increment) writeXRef(d *document) {
	nums := make([]int, 0, len(inc.offsets))
	for n := range inc.offsets {
		nums = append(nums, n)
	}
	sort.Ints(nums)
	start := inc.offset()
	inc.buf.WriteString("xref\n")
	for i := 0; i < len(nums); {
		j := i
		for j+1 < len(nums) && nums[j+1] == nums[j]+1 {
			j++
		}
		fmt.Fprintf(&inc.buf, "%d %d\n", nums[i], j-i+1)
		for k := i; k <= j; k++ {
			fmt.Fprintf(&inc.buf, "%010d 00000 n\r\n", inc.offsets[nums[k]])
		}
		i = j + 1
	}
	trailer := types.Dict{"Size": types.Integer(inc.next), "Root": d.root, "Prev": types.Integer(d.prev)}
	if d.ctx.Info != nil {
		trailer["Info"] = *d.ctx.Info
	}
	if len(d.ctx.ID) > 0 {
		trailer["ID"] = d.ctx.ID
	}
	fmt.Fprintf(&inc.buf, "trailer\n%s\nstartxref\n%d\n%%%%EOF\n", trailer.PDFString(), start)
}

var startXRef = regexp.MustCompile(`startxref\s+(\d+)\s+%%EOF\s*$`)

// lastXRefOffset reads the offset after the file's last startxref.
func lastXRefOffset(pdf []byte) (int64, error) {
	tail := pdf
	if len(tail) > 2048 {
		tail = tail[len(tail)-2048:]
	}
	m := startXRef.FindSubmatch(tail)
	if m == nil {
		return 0, errors.New("pdfsign: no startxref at the end of the file")
	}
	off, err := strconv.ParseInt(string(m[1]), 10, 64)
	if err != nil || off <= 0 || off >= int64(len(pdf)) {
		return 0, errors.New("pdfsign: startxref points outside the file")
	}
	return off, nil
}

// fieldRect reads a widget's /Rect.
func fieldRect(d types.Dict) (Rect, error) {
	arr, ok := d["Rect"].(types.Array)
	if !ok || len(arr) != 4 {
		return Rect{}, errors.New("pdfsign: the signature field has no /Rect")
	}
	var v [4]float64
	for i, o := range arr {
		switch n := o.(type) {
		case types.Integer:
			v[i] = float64(n)
		case types.Float:
			v[i] = float64(n)
		default:
			return Rect{}, errors.New("pdfsign: the signature field's /Rect is not numeric")
		}
	}
	return Rect{v[0], v[1], v[2], v[3]}, nil
}
