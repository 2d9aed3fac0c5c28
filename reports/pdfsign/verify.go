package pdfsign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/digitorus/timestamp"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/smallstep/pkcs7"
)

// What changed in the file after a signature.
const (
	ChangedNothing = "none" // the signature covers the whole file
	// ChangedSignaturesOnly: only later signatures filling existing signature fields were
	// added, and possibly validation data (a DSS) and document timestamps.
	ChangedSignaturesOnly = "signatures_only"
	ChangedOther          = "other" // anything else was changed or appended
)

// PAdES baseline levels (ETSI EN 319 142-1) of a signature, and LevelLegacy for the
// SubFilter adbe.pkcs7.detached (or a CAdES signature without the signing-certificate
// attribute).
const (
	LevelLegacy = "legacy"
	LevelBB     = "B-B"   // ETSI.CAdES.detached with the ESS signing-certificate-v2 attribute
	LevelBT     = "B-T"   // and a signature timestamp
	LevelBLT    = "B-LT"  // and, in a DSS, revocation data for the signer's and the TSA's chains
	LevelBLTA   = "B-LTA" // and a document timestamp over that DSS
)

// Trust states of a signature.
const (
	TrustTrusted   = "trusted"   // intact, and the signer chains to a trusted root
	TrustUntrusted = "untrusted" // intact, but the signer is not trusted (unknown CA, expired, revoked)
	TrustBroken    = "broken"    // the signed bytes or the signature itself do not verify
)

// Signature is what Verify found out about one signature.
type Signature struct {
	Field    string    // the signature field's name
	Label    string    // the field's name for people (/TU): the signer's capacity
	Name     string    // /Name, or else the signer certificate's common name
	Reason   string    // /Reason ("Tanda tangan", "Paraf", …)
	Location string    // /Location
	Time     time.Time // /M: the time the signer's computer claimed
	// SubFilter is the signature's format (ETSI.CAdES.detached, adbe.pkcs7.detached).
	SubFilter string
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
	// Trusted: the certificate chains to one of the roots given to Verify, at ValidatedAt,
	// and no revocation data in the file says it was revoked by then.
	Trusted bool
	// Timestamp is the signature timestamp (B-T and above), nil without one.
	Timestamp *Timestamp
	// ValidatedAt is the time the chain was checked at: the trusted timestamp's time, or else
	// the time of verification.
	ValidatedAt time.Time
	// Level is the PAdES baseline level (Level… constants); Trust the trust state (Trust…).
	Level string
	Trust string
	// Changes says what the file gained after this signature (Changed… constants), and
	// ChangeDetail what the first change that is not allowed was.
	Changes      string
	ChangeDetail string
	// Problem explains a signature that is not intact or not trusted.
	Problem string

	mdpP int // a certification's DocMDP permissions (P)
}

// Timestamp is an RFC 3161 timestamp: a signature's, or a document timestamp.
type Timestamp struct {
	Field     string    // the field of a document timestamp
	Time      time.Time // the time the authority vouches for
	Authority string    // the TSA certificate's subject
	// ByteRange and End: what a document timestamp covers.
	ByteRange [4]int64
	End       int64
	// Intact: the token's signature verifies and it covers what it should.
	Intact bool
	// Trusted: the TSA chains to a trusted root for time stamping.
	Trusted bool
	Problem string

	chain []*x509.Certificate // the TSA's chain, when trusted
}

// Valid reports whether the signature is intact, trusted, and followed by nothing but later
// signatures (and validation data and timestamps).
func (s *Signature) Valid() bool {
	return s.Intact && s.Trusted && s.Changes != ChangedOther
}

// Report is the result of Verify.
type Report struct {
	Signatures []Signature // in signing order
	// DocumentTimestamps are the document timestamps (ETSI.RFC3161), in order.
	DocumentTimestamps []Timestamp
	// ValidationData: the file has a DSS (certificates, OCSP responses, CRLs).
	ValidationData bool
	// ModifiedAfterSigning: something other than validation data and document timestamps
	// was appended after the last signature.
	ModifiedAfterSigning bool
	// At is the time of verification.
	At time.Time
	// Problem is set when the file could not be read as a PDF.
	Problem string
}

// Valid reports whether the file has signatures, all valid, every document timestamp
// intact, and nothing but validation data and timestamps after the last signature.
func (r *Report) Valid() bool {
	if len(r.Signatures) == 0 || r.ModifiedAfterSigning || r.Problem != "" {
		return false
	}
	for i := range r.Signatures {
		if !r.Signatures[i].Valid() {
			return false
		}
	}
	for _, t := range r.DocumentTimestamps {
		if !t.Intact {
			return false
		}
	}
	return true
}

// An Option adjusts Verify.
type Option func(*options)

type options struct {
	at       time.Time
	tsaRoots *x509.CertPool
}

// At verifies as of t instead of now: certificates must be valid then (or at the time a
// trusted timestamp proves the signature existed).
func At(t time.Time) Option { return func(o *options) { o.at = t } }

// TimestampRoots are the roots trusted for time-stamping authorities (default: the roots
// given to Verify).
func TimestampRoots(pool *x509.CertPool) Option { return func(o *options) { o.tsaRoots = pool } }

// Verify checks every signature of pdf. roots are the trusted certificate authorities (nil:
// no signature is trusted). A file that is not a readable PDF gives a report with Problem set.
func Verify(pdf []byte, roots *x509.CertPool, opts ...Option) (rep *Report) {
	o := options{at: time.Now(), tsaRoots: roots}
	for _, opt := range opts {
		opt(&o)
	}
	rep = &Report{Signatures: []Signature{}, At: o.at}
	defer func() {
		// pdfcpu's object model may panic on a damaged file outside its own reader.
		if r := recover(); r != nil {
			rep = &Report{Signatures: []Signature{}, At: o.at, Problem: fmt.Sprintf("not a readable PDF: %v", r)}
		}
	}()
	if err := checkSize(pdf); err != nil {
		rep.Problem = "not a readable PDF: " + err.Error()
		return rep
	}
	budget, cancel := context.WithTimeout(context.Background(), verifyBudget)
	defer cancel()
	v := &verifier{pdf: pdf, roots: roots, opts: o, budget: budget}
	if err := v.read(); err != nil {
		rep.Problem = "not a readable PDF: " + err.Error()
		return rep
	}
	ctx := v.final
	v.dss = readDSS(ctx)
	rep.ValidationData = v.dss.present
	fields := signatureFields(ctx)
	var sigFields []sigField
	for _, f := range fields {
		if f.docTimestamp() {
			rep.DocumentTimestamps = append(rep.DocumentTimestamps, v.checkDocumentTimestamp(f))
		} else {
			sigFields = append(sigFields, f)
		}
	}
	sort.SliceStable(rep.DocumentTimestamps, func(i, j int) bool { return rep.DocumentTimestamps[i].End < rep.DocumentTimestamps[j].End })
	v.docTimestamps = rep.DocumentTimestamps
	for _, f := range sigFields {
		rep.Signatures = append(rep.Signatures, v.checkSignature(f))
	}
	sort.SliceStable(rep.Signatures, func(i, j int) bool { return rep.Signatures[i].End < rep.Signatures[j].End })
	v.judgeChanges(rep, fields)
	return rep
}

// read parses the file (see parseBlanked).
func (v *verifier) read() error {
	ctx, blanked, err := parseBlanked(v.parseContext(), v.pdf)
	v.final, v.blanked = ctx, blanked
	return err
}

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

var byteRangeArray = regexp.MustCompile(`/ByteRange\s*\[\s*0\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]`)

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

// verifier holds what checking one file needs.
type verifier struct {
	pdf           []byte
	blanked       []byte // pdf with the signature values blanked (see blankSignatureValues)
	final         *model.Context
	roots         *x509.CertPool
	opts          options
	dss           validationData
	docTimestamps []Timestamp
	// budget ends when Verify's time is up (nil: no limit, for the signer's own documents).
	budget context.Context
}

// parseContext is the context reads of the file run in: the budget, if any.
func (v *verifier) parseContext() context.Context {
	if v.budget == nil {
		return context.Background()
	}
	return v.budget
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

// signedBytes reads a signature value's /ByteRange and /Contents: the bytes it covers and
// the blob.
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
	end := br[2] + br[3]
	signed = make([]byte, 0, br[1]+br[3])
	signed = append(append(signed, v.pdf[:br[1]]...), v.pdf[br[2]:end]...)
	return br, signed, blob, nil
}

// checkSignature verifies one signature value against the file's bytes.
func (v *verifier) checkSignature(f sigField) Signature {
	ctx := v.final
	s := Signature{Field: f.name, Label: f.label, Level: LevelLegacy, Trust: TrustBroken}
	text := func(key string) string {
		t, _ := ctx.DereferenceStringOrHexLiteral(f.value[key], model.V10, nil)
		return t
	}
	s.Name, s.Reason, s.Location, s.SubFilter = text("Name"), text("Reason"), text("Location"), name(f.value, "SubFilter")
	if m := text("M"); m != "" {
		if t, ok := types.DateTime(m, true); ok {
			s.Time = t
		}
	}
	if refs, err := ctx.DereferenceArray(f.value["Reference"]); err == nil {
		for _, r := range refs {
			if rd, err := ctx.DereferenceDict(r); err == nil && rd != nil && name(rd, "TransformMethod") == "DocMDP" {
				s.Certified, s.mdpP = true, 2
				if params, err := ctx.DereferenceDict(rd["TransformParams"]); err == nil && params != nil {
					if p, ok := params["P"].(types.Integer); ok {
						s.mdpP = int(p)
					}
				}
			}
		}
	}
	br, signed, blob, err := v.signedBytes(f.value)
	s.ByteRange, s.End = br, br[2]+br[3]
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
	p7.Content = signed
	if err := p7.Verify(); err != nil {
		s.Problem = "the signed bytes were changed or the signature does not verify: " + err.Error()
		return s
	}
	s.Intact = true
	var problems []string
	if s.SubFilter == "ETSI.CAdES.detached" {
		var essCert asn1.RawValue
		if err := p7.UnmarshalSignedAttribute(oidAttrSigningCertV2, &essCert); err == nil && certHashMatches(essCert.FullBytes, s.Certificate) {
			s.Level = LevelBB
		} else {
			problems = append(problems, "no signing-certificate-v2 attribute naming the signer")
		}
	}
	if token := unsignedAttribute(p7, oidAttrSignatureTSToken); token != nil && s.Level == LevelBB {
		imprint := sha256.Sum256(p7.Signers[0].EncryptedDigest)
		s.Timestamp = v.checkToken(token, imprint[:], v.proofTimeFor(s.End))
		if s.Timestamp.Intact {
			s.Level = LevelBT
		} else {
			problems = append(problems, "signature timestamp: "+s.Timestamp.Problem)
		}
	}
	s.ValidatedAt = v.opts.at
	if s.Timestamp != nil && s.Timestamp.Intact && s.Timestamp.Trusted {
		s.ValidatedAt = s.Timestamp.Time
	}
	chain, err := v.verifyChain(s.Certificate, p7.Certificates, v.roots, s.ValidatedAt, x509.ExtKeyUsageAny)
	switch {
	case v.roots == nil:
		problems = append(problems, "no trusted certificate authority was given")
	case err != nil:
		problems = append(problems, "the certificate is not trusted: "+err.Error())
	default:
		complete, revoked := v.dss.status(chain, s.ValidatedAt)
		if revoked != "" {
			problems = append(problems, revoked)
		} else {
			s.Trusted = true
		}
		if s.Level == LevelBT && complete && v.tsaStatusComplete(s.Timestamp) {
			s.Level = LevelBLT
			if v.dssCoveredByTimestamp() {
				s.Level = LevelBLTA
			}
		}
	}
	if s.Trusted {
		s.Trust = TrustTrusted
	} else {
		s.Trust = TrustUntrusted
	}
	s.Problem = strings.Join(problems, "; ")
	return s
}

// unsignedAttribute returns the first value of an unsigned attribute of the first signer.
func unsignedAttribute(p7 *pkcs7.PKCS7, oid asn1.ObjectIdentifier) []byte {
	if len(p7.Signers) == 0 {
		return nil
	}
	for _, a := range p7.Signers[0].UnauthenticatedAttributes {
		if a.Type.Equal(oid) {
			var first asn1.RawValue
			if _, err := asn1.Unmarshal(a.Value.Bytes, &first); err == nil {
				return first.FullBytes
			}
		}
	}
	return nil
}

// checkToken checks an RFC 3161 token over digest (SHA-256 or the token's own algorithm for
// document timestamps: digest is then nil and data is hashed instead), trusting the TSA as
// of at.
func (v *verifier) checkToken(token, imprint []byte, at time.Time) *Timestamp {
	t := &Timestamp{}
	ts, err := timestamp.Parse(token)
	if err != nil {
		t.Problem = "unreadable or unverifiable timestamp: " + err.Error()
		return t
	}
	t.Time = ts.Time
	if len(ts.Certificates) > 0 {
		t.Authority = ts.Certificates[0].Subject.CommonName
	}
	if !bytes.Equal(ts.HashedMessage, imprint) {
		t.Problem = "the timestamp does not cover this signature"
		return t
	}
	p7, err := pkcs7.Parse(token)
	if err != nil || p7.GetOnlySigner() == nil {
		t.Problem = "the timestamp names no signer certificate"
		return t
	}
	tsa := p7.GetOnlySigner()
	t.Authority = tsa.Subject.CommonName
	t.Intact = true
	if v.opts.tsaRoots == nil {
		t.Problem = "no trusted time-stamping authority was given"
		return t
	}
	chain, err := v.verifyChain(tsa, p7.Certificates, v.opts.tsaRoots, at, x509.ExtKeyUsageTimeStamping)
	if err != nil {
		t.Problem = "the time-stamping authority is not trusted: " + err.Error()
		return t
	}
	if _, revoked := v.dss.status(chain, t.Time); revoked != "" {
		t.Problem = "the time-stamping authority: " + revoked
		return t
	}
	t.Trusted, t.chain = true, chain
	return t
}

// checkDocumentTimestamp checks a document timestamp (ETSI.RFC3161) against the bytes it covers.
func (v *verifier) checkDocumentTimestamp(f sigField) Timestamp {
	br, signed, blob, err := v.signedBytes(f.value)
	if err != nil {
		return Timestamp{Field: f.name, ByteRange: br, End: br[2] + br[3], Problem: err.Error()}
	}
	ts, err := timestamp.Parse(blob)
	var imprint []byte
	if err == nil && ts.HashAlgorithm.Available() {
		h := ts.HashAlgorithm.New()
		h.Write(signed)
		imprint = h.Sum(nil)
	}
	t := v.checkToken(blob, imprint, v.opts.at)
	t.Field, t.ByteRange, t.End = f.name, br, br[2]+br[3]
	if t.Problem == "the timestamp does not cover this signature" {
		t.Problem = "the document was changed after its timestamp"
	}
	return *t
}

// proofTimeFor is when the material up to end must be checked at: the time of the earliest
// trusted document timestamp covering it (which proves it existed then), or else now.
func (v *verifier) proofTimeFor(end int64) time.Time {
	for _, t := range v.docTimestamps {
		if t.End > end && t.Intact && t.Trusted {
			return t.Time
		}
	}
	return v.opts.at
}

// verifyChain builds a chain from cert to roots at the given time, with the embedded and the
// DSS certificates as intermediates.
func (v *verifier) verifyChain(cert *x509.Certificate, embedded []*x509.Certificate, roots *x509.CertPool, at time.Time, usage x509.ExtKeyUsage) ([]*x509.Certificate, error) {
	if roots == nil {
		return nil, errors.New("no roots")
	}
	inter := x509.NewCertPool()
	for _, c := range embedded {
		inter.AddCert(c)
	}
	for _, c := range v.dss.certs {
		inter.AddCert(c)
	}
	chains, err := cert.Verify(x509.VerifyOptions{Roots: roots, Intermediates: inter, CurrentTime: at, KeyUsages: []x509.ExtKeyUsage{usage}})
	if err != nil {
		return nil, err
	}
	return chains[0], nil
}

// tsaStatusComplete: the DSS holds revocation data for the signature timestamp's TSA chain.
func (v *verifier) tsaStatusComplete(t *Timestamp) bool {
	if t == nil || !t.Trusted {
		return false
	}
	complete, _ := v.dss.status(t.chain, t.Time)
	return complete
}

// dssCoveredByTimestamp: an intact document timestamp covers the DSS.
func (v *verifier) dssCoveredByTimestamp() bool {
	for _, t := range v.docTimestamps {
		if t.Intact && t.End > v.dss.offset {
			return true
		}
	}
	return false
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
