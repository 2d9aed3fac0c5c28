package pdfsign

import (
	"bytes"
	"crypto/x509"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/smallstep/pkcs7"
)

// What changed in the file after a signature.
const (
	ChangedNothing        = "none"            // the signature covers the whole file
	ChangedSignaturesOnly = "signatures_only" // only later signatures were added
	ChangedOther          = "other"           // something else was changed or appended
)

// Signature is what Verify found out about one signature.
type Signature struct {
	Field    string    // the signature field's name
	Label    string    // the field's name for people (/TU): the signer's capacity
	Name     string    // /Name, or else the signer certificate's common name
	Reason   string    // /Reason ("Tanda tangan", "Paraf", …)
	Location string    // /Location
	Time     time.Time // /M
	// Certified is set on a certification (DocMDP) signature.
	Certified bool
	// Certificate is the signer's certificate; Chain every certificate embedded.
	Certificate *x509.Certificate
	Chain       []*x509.Certificate
	// ByteRange is the signed part of the file; End is where it ends.
	ByteRange [4]int64
	End       int64
	// Intact: the signed bytes hash to the signed digest and the CMS signature verifies with
	// the embedded certificate.
	Intact bool
	// Trusted: the certificate chains to one of the roots given to Verify at the signing time.
	Trusted bool
	// Changes says what the file gained after this signature (Changed… constants).
	Changes string
	// Problem explains a signature that is not intact or not trusted.
	Problem string
}

// Valid reports whether the signature is intact, trusted, and followed by nothing but later signatures.
func (s *Signature) Valid() bool {
	return s.Intact && s.Trusted && s.Changes != ChangedOther
}

// Report is the result of Verify.
type Report struct {
	Signatures []Signature // in signing order
	// ModifiedAfterSigning: bytes were appended after the last signature.
	ModifiedAfterSigning bool
	// Problem is set when the file could not be read as a PDF.
	Problem string
}

// Valid reports whether the file has signatures, all valid, and nothing after the last.
func (r *Report) Valid() bool {
	if len(r.Signatures) == 0 || r.ModifiedAfterSigning || r.Problem != "" {
		return false
	}
	for i := range r.Signatures {
		if !r.Signatures[i].Valid() {
			return false
		}
	}
	return true
}

// Verify checks every signature of pdf. roots are the trusted certificate authorities (nil:
// no signature is trusted). A file that is not a readable PDF gives a report with Problem set.
func Verify(pdf []byte, roots *x509.CertPool) (rep *Report) {
	rep = &Report{Signatures: []Signature{}}
	defer func() {
		// pdfcpu's object model may panic on a damaged file outside its own reader.
		if r := recover(); r != nil {
			rep = &Report{Signatures: []Signature{}, Problem: fmt.Sprintf("not a readable PDF: %v", r)}
		}
	}()
	ctx, err := api.ReadContext(bytes.NewReader(pdf), model.NewDefaultConfiguration())
	if err != nil {
		rep.Problem = "not a readable PDF: " + err.Error()
		return rep
	}
	for _, f := range signatureFields(ctx) {
		rep.Signatures = append(rep.Signatures, checkSignature(ctx, pdf, f, roots))
	}
	sort.SliceStable(rep.Signatures, func(i, j int) bool { return rep.Signatures[i].End < rep.Signatures[j].End })
	n := len(rep.Signatures)
	if n > 0 && rep.Signatures[n-1].End != int64(len(pdf)) {
		rep.ModifiedAfterSigning = true
	}
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		switch {
		case s.End == int64(len(pdf)):
			s.Changes = ChangedNothing
		case rep.ModifiedAfterSigning || !signaturesOnlyAfter(ctx, pdf, s.End):
			s.Changes = ChangedOther
		default:
			s.Changes = ChangedSignaturesOnly
		}
	}
	return rep
}

type sigField struct {
	name, label string
	value       types.Dict
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
	var walk func(arr types.Array, prefix string)
	walk = func(arr types.Array, prefix string) {
		for _, o := range arr {
			if ref, ok := o.(types.IndirectRef); ok {
				if seen[ref.ObjectNumber.Value()] {
					continue
				}
				seen[ref.ObjectNumber.Value()] = true
			}
			fd, err := ctx.DereferenceDict(o)
			if err != nil || fd == nil {
				continue
			}
			name, _ := ctx.DereferenceStringOrHexLiteral(fd["T"], model.V10, nil)
			if prefix != "" {
				name = prefix + "." + name
			}
			if kids, err := ctx.DereferenceArray(fd["Kids"]); err == nil && len(kids) > 0 && fd["FT"] == nil {
				walk(kids, name)
				continue
			}
			if ft, _ := fd["FT"].(types.Name); ft != "Sig" {
				continue
			}
			if v, err := ctx.DereferenceDict(fd["V"]); err == nil && v != nil {
				label, _ := ctx.DereferenceStringOrHexLiteral(fd["TU"], model.V10, nil)
				out = append(out, sigField{name: name, label: label, value: v})
			}
		}
	}
	fields, _ := ctx.DereferenceArray(form["Fields"])
	walk(fields, "")
	return out
}

// checkSignature verifies one signature value against the file's bytes.
func checkSignature(ctx *model.Context, pdf []byte, f sigField, roots *x509.CertPool) Signature {
	s := Signature{Field: f.name, Label: f.label}
	text := func(key string) string {
		v, _ := ctx.DereferenceStringOrHexLiteral(f.value[key], model.V10, nil)
		return v
	}
	s.Name, s.Reason, s.Location = text("Name"), text("Reason"), text("Location")
	if m := text("M"); m != "" {
		if t, ok := types.DateTime(m, true); ok {
			s.Time = t
		}
	}
	if refs, err := ctx.DereferenceArray(f.value["Reference"]); err == nil {
		for _, r := range refs {
			if rd, err := ctx.DereferenceDict(r); err == nil && rd != nil {
				if tm, _ := rd["TransformMethod"].(types.Name); tm == "DocMDP" {
					s.Certified = true
				}
			}
		}
	}
	br, err := byteRange(ctx, f.value, pdf)
	if err != nil {
		s.Problem = err.Error()
		return s
	}
	s.ByteRange, s.End = br, br[2]+br[3]
	blob, err := contents(pdf[br[1]+1 : br[2]-1])
	if err != nil {
		s.Problem = err.Error()
		return s
	}
	p7, err := pkcs7.Parse(blob)
	if err != nil {
		s.Problem = "unreadable CMS: " + err.Error()
		return s
	}
	s.Chain = p7.Certificates
	s.Certificate = p7.GetOnlySigner()
	if s.Certificate == nil {
		s.Problem = "the CMS does not name exactly one signer certificate"
		return s
	}
	if s.Name == "" {
		s.Name = s.Certificate.Subject.CommonName
	}
	p7.Content = append(append([]byte{}, pdf[:br[1]]...), pdf[br[2]:s.End]...)
	if err := p7.Verify(); err != nil {
		s.Problem = "the signed bytes were changed or the signature does not verify: " + err.Error()
		return s
	}
	s.Intact = true
	at := s.Time
	if at.IsZero() {
		at = time.Now()
	}
	switch {
	case roots == nil:
		s.Problem = "no trusted certificate authority was given"
	default:
		if err := p7.VerifyWithChainAtTime(roots, at); err != nil {
			s.Problem = "the certificate is not trusted: " + err.Error()
		} else {
			s.Trusted = true
		}
	}
	return s
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
