package documents

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"encoding/hex"
	"encoding/pem"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// CodeCheck is the public answer about a document found by its verification code.
type CodeCheck struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	// Number is a commitment's document number.
	Number    string    `json:"number,omitempty"`
	Status    string    `json:"status"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy names who made the document (for a report, who generated it).
	CreatedBy  string              `json:"created_by,omitempty"`
	Signatures []RecordedSignature `json:"signatures"`
	Void
}

// Void says why a void commitment was voided and which document replaces it.
type Void struct {
	// VoidReason is set on a void commitment.
	VoidReason string `json:"void_reason,omitempty"`
	// ReplacementCode is the verification code of the commitment that replaces a void one,
	// once there is one.
	ReplacementCode *string `json:"replacement_code,omitempty"`
}

// RecordedSignature is a signature or paraf as Pantau recorded it.
type RecordedSignature struct {
	Slot     string                 `json:"slot"`
	Name     string                 `json:"name"`
	Title    string                 `json:"title"`
	Mode     models.SignMode        `json:"mode"`
	Capacity models.SigningCapacity `json:"capacity"`
	SignedAt time.Time              `json:"signed_at"`
}

// VerifyCode answers what a verification code printed on a document stands for: the
// document and the signatures recorded on it — for a void commitment why it was voided and
// its replacement's code; ErrNotFound for an unknown code.
func (s *Service) VerifyCode(ctx context.Context, code string) (*CodeCheck, error) {
	doc, err := s.DB.DocumentByCode(ctx, code)
	if err != nil {
		return nil, err
	}
	sigs, err := s.DB.DocumentSignatures(ctx, doc.ID)
	if err != nil {
		return nil, err
	}
	out := &CodeCheck{Kind: doc.Kind, Title: doc.Title, Status: doc.Status, SHA256: doc.SHA256, CreatedAt: doc.CreatedAt, Signatures: []RecordedSignature{}}
	if out.CreatedBy, err = s.DB.DocumentIssuer(ctx, doc); err != nil {
		return nil, err
	}
	if doc.Kind == models.DocumentCommitment {
		c, err := s.DB.CommitmentByDocument(ctx, doc.ID)
		if err != nil {
			return nil, err
		}
		out.Number, out.Void = c.Number, voidOf(c)
	}
	for _, sg := range sigs {
		out.Signatures = append(out.Signatures, RecordedSignature{Slot: sg.Slot, Name: sg.Name, Title: sg.Title, Mode: sg.Mode, Capacity: sg.Capacity, SignedAt: sg.SignedAt})
	}
	return out, nil
}

// voidOf is what a commitment's check says about its voiding (nothing unless void).
func voidOf(c *models.Commitment) Void {
	if c.Status != models.CommitmentVoid {
		return Void{}
	}
	return Void{VoidReason: c.VoidReason, ReplacementCode: c.ReplacementCode}
}

// FileCheck is the public answer about an uploaded file.
type FileCheck struct {
	Valid            bool    `json:"valid"`
	VerificationCode *string `json:"verification_code"`
	Kind             string  `json:"kind,omitempty"`
	Title            string  `json:"title,omitempty"`
	// Status is the recognised document's status ("void" for a void commitment, which is never
	// valid).
	Status     string           `json:"status,omitempty"`
	SHA256     string           `json:"sha256"`
	Signatures []SignatureCheck `json:"signatures"`
	// ModifiedAfterSigning: the file has bytes after its last embedded signature that are
	// neither validation data nor a document timestamp.
	ModifiedAfterSigning bool `json:"modified_after_signing"`
	Void
}

// SignatureCheck is one signature of an uploaded file.
type SignatureCheck struct {
	Name     string    `json:"name"`
	SignedAt time.Time `json:"signed_at"`
	Valid    bool      `json:"valid"`
	// The rest describe a signature embedded in the PDF: its slot and whether it is the
	// slot's signature or paraf, the signer's capacity and the reason given.
	Slot     string          `json:"slot,omitempty"`
	Mode     models.SignMode `json:"mode,omitempty"`
	Capacity string          `json:"capacity,omitempty"`
	Reason   string          `json:"reason,omitempty"`
	// Intact: the signed bytes and the signature hold. Trusted: the signer chains to a
	// trusted root at the time its timestamp proves (or now).
	Intact  *bool `json:"intact,omitempty"`
	Trusted *bool `json:"trusted,omitempty"`
	// Level is the PAdES baseline level (B-B, B-T, B-LT, B-LTA, or legacy for
	// adbe.pkcs7.detached); Trust is trusted, untrusted (intact but the signer is not trusted)
	// or broken.
	Level string `json:"level,omitempty"`
	Trust string `json:"trust,omitempty"`
	// TimestampedAt is the time the signature's trusted timestamp proves.
	TimestampedAt *time.Time `json:"timestamped_at,omitempty"`
	// Changes is what the file gained after the signature: none, signatures_only (later
	// signatures filling existing fields, validation data, document timestamps) or other;
	// ChangeDetail says what the first other change was.
	Changes      string `json:"changes_after,omitempty"`
	ChangeDetail string `json:"change_detail,omitempty"`
	// Problem explains a signature that is not valid.
	Problem string `json:"problem,omitempty"`
}

// VerifyFile answers whether a file is a document Pantau issued, byte for byte, at its latest
// or an earlier signed state. When the file holds PDF signatures the answer lists them as the
// file holds them (a commitment recognised at an earlier state shows the signatures of that
// state), and the file is valid only if Pantau issued exactly these bytes, the document is not
// void, and every signature is intact, trusted (TrustRoots, at the server's time) and followed
// by nothing but later signatures filling existing fields, validation data and timestamps:
// any byte changed inside a signed range, or anything else added, makes it invalid.
func (s *Service) VerifyFile(ctx context.Context, data []byte) (*FileCheck, error) {
	sum := sha256.Sum256(data)
	out := &FileCheck{SHA256: hex.EncodeToString(sum[:]), Signatures: []SignatureCheck{}}
	doc, err := s.DB.DocumentByHash(ctx, out.SHA256)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	if doc != nil {
		out.Valid, out.VerificationCode, out.Kind, out.Title, out.Status = true, &doc.VerificationCode, doc.Kind, doc.Title, doc.Status
		if doc.Kind == models.DocumentCommitment {
			c, err := s.DB.CommitmentByDocument(ctx, doc.ID)
			if err != nil {
				return nil, err
			}
			out.Void = voidOf(c)
			out.Valid = c.Status != models.CommitmentVoid
		}
		sigs, err := s.DB.DocumentSignatures(ctx, doc.ID)
		if err != nil {
			return nil, err
		}
		for _, sg := range sigs {
			out.Signatures = append(out.Signatures, SignatureCheck{Name: sg.Name, SignedAt: sg.SignedAt, Valid: true, Slot: sg.Slot, Mode: sg.Mode, Capacity: sg.Title})
		}
	}
	if !bytes.Contains(data, []byte("/ByteRange")) {
		return out, nil
	}
	roots, err := s.TrustRoots(ctx)
	if err != nil {
		return nil, err
	}
	rep := VerifySignatures(data, roots, s.DB.Now())
	if len(rep.Signatures) == 0 {
		return out, nil
	}
	out.Signatures = []SignatureCheck{}
	out.ModifiedAfterSigning = rep.ModifiedAfterSigning
	out.Valid = out.Valid && rep.Valid()
	for i := range rep.Signatures {
		out.Signatures = append(out.Signatures, signatureCheck(&rep.Signatures[i]))
	}
	return out, nil
}

// signatureCheck describes an embedded signature for the API.
func signatureCheck(sig *pdfsign.Signature) SignatureCheck {
	intact, trusted := sig.Intact, sig.Trusted
	slot, mode := SlotOfField(sig.Field, sig.Reason)
	c := SignatureCheck{Name: sig.Name, SignedAt: sig.Time, Valid: sig.Valid(), Slot: slot, Mode: mode, Capacity: sig.Label, Reason: sig.Reason,
		Intact: &intact, Trusted: &trusted, Level: sig.Level, Trust: sig.Trust, Changes: sig.Changes, ChangeDetail: sig.ChangeDetail, Problem: sig.Problem}
	if t := sig.Timestamp; t != nil && t.Intact && t.Trusted {
		at := t.Time
		c.TimestampedAt = &at
	}
	return c
}

// SlotOfField is the slot a signature field belongs to and whether it holds the slot's
// signature or its paraf: "regent_paraf" is the regent's paraf; in documents signed before
// slots had a paraf field, the reason "Paraf" tells a paraf.
func SlotOfField(field, reason string) (string, models.SignMode) {
	if slot, ok := strings.CutSuffix(field, models.ParafField("")); ok {
		return slot, models.ModeInitial
	}
	if reason == "Paraf" {
		return field, models.ModeInitial
	}
	return field, models.ModeSign
}

// VerifySignatures checks every PDF signature in data against roots as of at: whether the
// signed bytes are intact, the signer's certificate chains to a root (at the time a trusted
// timestamp proves, with the file's validation data), and what was changed after each.
func VerifySignatures(data []byte, roots *Roots, at time.Time) *pdfsign.Report {
	return pdfsign.Verify(data, roots.Pool(), pdfsign.TimestampRoots(roots.TSAPool()), pdfsign.At(at))
}

// Roots are the certificate authorities signatures are checked against, and those trusted
// for time-stamping authorities.
type Roots struct {
	pool, tsa *x509.CertPool
	names     []string
}

// Add trusts a certificate authority.
func (r *Roots) Add(c *x509.Certificate) {
	if r.pool == nil {
		r.pool = x509.NewCertPool()
	}
	r.pool.AddCert(c)
	r.names = append(r.names, c.Subject.CommonName)
}

// AddTSA trusts a root for time-stamping authorities.
func (r *Roots) AddTSA(c *x509.Certificate) {
	if r.tsa == nil {
		r.tsa = x509.NewCertPool()
	}
	r.tsa.AddCert(c)
}

// AddPEM trusts every certificate in PEM data; data without one is an error.
func (r *Roots) AddPEM(data []byte) error {
	certs, err := ParsePEMCertificates(data)
	for _, c := range certs {
		r.Add(c)
	}
	return err
}

// AddTSAPEM trusts every certificate in PEM data for time-stamping authorities.
func (r *Roots) AddTSAPEM(data []byte) error {
	certs, err := ParsePEMCertificates(data)
	for _, c := range certs {
		r.AddTSA(c)
	}
	return err
}

// ParsePEMCertificates reads every certificate in PEM data; data without one is an error.
func ParsePEMCertificates(data []byte) ([]*x509.Certificate, error) {
	var out []*x509.Certificate
	for blk, rest := pem.Decode(data); blk != nil; blk, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	if len(out) == 0 {
		return nil, errors.New("no PEM certificate")
	}
	return out, nil
}

// Pool is the roots as a pool for verification; nil when there are none.
func (r *Roots) Pool() *x509.CertPool {
	if r == nil {
		return nil
	}
	return r.pool
}

// TSAPool is the roots trusted for time-stamping authorities; nil when there are none.
func (r *Roots) TSAPool() *x509.CertPool {
	if r == nil {
		return nil
	}
	return r.tsa
}

// Names are the roots' common names, in the order they were added.
func (r *Roots) Names() []string {
	if r == nil {
		return nil
	}
	return r.names
}

// TrustRoots are the installation's CA (none without a signing service) and the roots of
// imported signers' chains; for time-stamping authorities, the installation's CA (its own TSA)
// and the configured TSA roots.
func (s *Service) TrustRoots(ctx context.Context) (*Roots, error) {
	r := &Roots{}
	if !s.SigningAvailable() {
		return r, nil
	}
	r.Add(s.Signing.CA.Cert)
	r.AddTSA(s.Signing.CA.Cert)
	for _, c := range s.Signing.TimestampRoots {
		r.AddTSA(c)
	}
	imported, err := s.DB.ImportedRoots(ctx)
	if err != nil {
		return nil, err
	}
	for _, c := range imported {
		r.Add(c)
	}
	return r, nil
}

// InstallationRoots trusts the installation's CA certificate from its directory, when there is
// one, for signers and its own TSA, without opening the database (the command line's verify).
func InstallationRoots(caDir string) (*Roots, error) {
	r := &Roots{}
	ca, err := models.ReadCACertificate(caDir)
	switch {
	case err == nil:
		r.Add(ca)
		r.AddTSA(ca)
	case !errors.Is(err, models.ErrNotFound):
		return nil, fmt.Errorf("CA certificate in %s: %w", caDir, err)
	}
	return r, nil
}
