package pdfsign

import (
	"bytes"
	"context"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// parseBlanked parses a PDF. The signature values' hex strings, tens of kilobytes each, are
// what costs the parser most, and they are read from the file's bytes when needed, so the
// file is parsed with them blanked (blankSignatureValues): first those that a /ByteRange in
// the file points to, and again, with exactly the signatures' own, should any of these be no
// signature's. It returns the blanked copy too.
func parseBlanked(c context.Context, pdf []byte) (*model.Context, []byte, error) {
	if err := precheck(pdf); err != nil { // before the copy: a refused file costs nothing more
		return nil, nil, err
	}
	candidates := scanByteRanges(pdf)
	blanked := blankSignatureValues(pdf, candidates)
	ctx, err := readBounded(c, blanked)
	if err != nil {
		return nil, nil, err
	}
	var real [][4]int64
	for _, f := range signatureFields(ctx) {
		if br, err := byteRange(ctx, f.value, pdf); err == nil {
			real = append(real, br)
		}
	}
	if !sameRanges(candidates, real) {
		blanked = blankSignatureValues(pdf, real)
		if ctx, err = readBounded(c, blanked); err != nil {
			return nil, nil, err
		}
	}
	return ctx, blanked, nil
}

// scanByteRanges finds the /ByteRange arrays written in the file.
func scanByteRanges(pdf []byte) [][4]int64 {
	var out [][4]int64
	for _, m := range byteRangeArray.FindAllSubmatch(pdf, 1000) {
		var br [4]int64
		for i := 1; i <= 3; i++ {
			br[i], _ = strconv.ParseInt(string(m[i]), 10, 64)
		}
		out = append(out, br)
	}
	return out
}

// sameRanges reports whether every range in a is in b (blanking what b blanks is then safe).
func sameRanges(a, b [][4]int64) bool {
	in := map[[4]int64]bool{}
	for _, r := range b {
		in[r] = true
	}
	for _, r := range a {
		if !in[r] {
			return false
		}
	}
	return true
}

type sigField struct {
	name, label string
	ref         int // the field's object number (0 when direct)
	value       types.Dict
}

func (f sigField) docTimestamp() bool {
	return name(f.value, "Type") == "DocTimeStamp" || name(f.value, "SubFilter") == "ETSI.RFC3161"
}

// signatureFields walks the form's field tree for signed signature fields.
func signatureFields(ctx *model.Context) []sigField {
	var out []sigField
	catalog, err := ctx.Catalog()
	if err != nil {
		return nil
	}
	form, err := ctx.DereferenceDict(catalog["AcroForm"])
	if err != nil || form == nil {
		return nil
	}
	seen := map[int]bool{}
	var walk func(arr types.Array, prefix string, depth int)
	walk = func(arr types.Array, prefix string, depth int) {
		for _, o := range arr {
			nr := 0
			if ref, ok := o.(types.IndirectRef); ok {
				nr = ref.ObjectNumber.Value()
				if seen[nr] {
					continue
				}
				seen[nr] = true
			}
			fd, err := ctx.DereferenceDict(o)
			if err != nil || fd == nil {
				continue
			}
			name, _ := ctx.DereferenceStringOrHexLiteral(fd["T"], model.V10, nil)
			if prefix != "" {
				name = prefix + "." + name
			}
			if kids, err := ctx.DereferenceArray(fd["Kids"]); err == nil && len(kids) > 0 && fd["FT"] == nil && depth < 32 {
				walk(kids, name, depth+1)
				continue
			}
			if ft, _ := fd["FT"].(types.Name); ft != "Sig" {
				continue
			}
			if v, err := ctx.DereferenceDict(fd["V"]); err == nil && v != nil {
				label, _ := ctx.DereferenceStringOrHexLiteral(fd["TU"], model.V10, nil)
				out = append(out, sigField{name: name, label: label, ref: nr, value: v})
			}
		}
	}
	fields, _ := ctx.DereferenceArray(form["Fields"])
	walk(fields, "", 0)
	return out
}

// signedBytes reads a signature value's /ByteRange and /Contents: the bytes it covers (valid
// until the next call) and the blob.
func (v *verifier) signedBytes(sv types.Dict) (br [4]int64, signed, blob []byte, err error) {
	br, err = byteRange(v.final, sv, v.pdf)
	if err != nil {
		return br, nil, nil, err
	}
	if v.parseContext().Err() != nil { // copying and hashing the file again is over budget
		return br, nil, nil, errOverBudget
	}
	blob, err = contents(v.pdf[br[1]+1 : br[2]-1])
	if err != nil {
		return br, nil, nil, err
	}
	// One buffer serves every signature of the file: a dozen signatures over a large file
	// would otherwise copy it a dozen times.
	end := br[2] + br[3]
	v.signed = append(append(v.signed[:0], v.pdf[:br[1]]...), v.pdf[br[2]:end]...)
	return br, v.signed, blob, nil
}

// byteRange reads and checks /ByteRange: it must start at 0, stay within the file and leave
// out exactly the /Contents string.
func byteRange(ctx *model.Context, v types.Dict, pdf []byte) ([4]int64, error) {
	var br [4]int64
	arr, err := ctx.DereferenceArray(v["ByteRange"])
	if err != nil || len(arr) != 4 {
		return br, errors.New("the signature has no valid /ByteRange")
	}
	for i, o := range arr {
		n, ok := o.(types.Integer)
		if !ok || n < 0 {
			return br, errors.New("the signature's /ByteRange is not four non-negative integers")
		}
		br[i] = int64(n)
	}
	end := br[2] + br[3]
	if br[0] != 0 || br[1]+2 > br[2] || end > int64(len(pdf)) || pdf[br[1]] != '<' || pdf[br[2]-1] != '>' {
		return br, fmt.Errorf("the signature's /ByteRange %v does not frame its /Contents", br)
	}
	return br, nil
}

// contents decodes the hex /Contents string and cuts off its zero padding.
func contents(hexText []byte) ([]byte, error) {
	clean := bytes.Map(func(r rune) rune {
		if strings.ContainsRune(" \t\r\n", r) {
			return -1
		}
		return r
	}, hexText)
	if len(clean)%2 == 1 {
		clean = append(clean, '0')
	}
	blob := make([]byte, hex.DecodedLen(len(clean)))
	if _, err := hex.Decode(blob, clean); err != nil {
		return nil, errors.New("the signature's /Contents is not hexadecimal")
	}
	if n, err := derLength(blob); err == nil {
		return blob[:n], nil
	}
	return bytes.TrimRight(blob, "\x00"), nil
}
