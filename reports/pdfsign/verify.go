package pdfsign

import (
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

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
	v.final, v.blanked, v.parsed = ctx, blanked, int64(len(v.pdf))
	return err
}

var byteRangeArray = regexp.MustCompile(`/ByteRange\s*\[\s*0\s+(\d{1,12})\s+(\d{1,12})\s+(\d{1,12})\s*\]`)

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
	// parsed counts the bytes read so far, the file and its earlier states (see maxParsedAll).
	parsed int64
	// signed holds the bytes the last signature checked covers (see signedBytes).
	signed []byte
}

// parseContext is the context reads of the file run in: the budget, if any.
func (v *verifier) parseContext() context.Context {
	if v.budget == nil {
		return context.Background()
	}
	return v.budget
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
