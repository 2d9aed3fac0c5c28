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
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// CodeCheck is the public answer about a document found by its verification code.
type CodeCheck struct {
	Kind      string    `json:"kind"`
	Title     string    `json:"title"`
	Status    string    `json:"status"`
	SHA256    string    `json:"sha256"`
	CreatedAt time.Time `json:"created_at"`
	// CreatedBy names who made the document (for a report, who generated it).
	CreatedBy  string              `json:"created_by,omitempty"`
	Signatures []RecordedSignature `json:"signatures"`
}

// RecordedSignature is a signature or initial as Pantau recorded it.
type RecordedSignature struct {
	Slot     string    `json:"slot"`
	Name     string    `json:"name"`
	Title    string    `json:"title"`
	Mode     string    `json:"mode"`
	SignedAt time.Time `json:"signed_at"`
}

// VerifyCode answers what a verification code printed on a document stands for: the
// document and the signatures recorded on it; ErrNotFound for an unknown code.
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
	for _, sg := range sigs {
		out.Signatures = append(out.Signatures, RecordedSignature{Slot: sg.Slot, Name: sg.Name, Title: sg.Title, Mode: sg.Mode, SignedAt: sg.SignedAt})
	}
	return out, nil
}

// FileCheck is the public answer about an uploaded file.
type FileCheck struct {
	Valid            bool             `json:"valid"`
	VerificationCode *string          `json:"verification_code"`
	Kind             string           `json:"kind,omitempty"`
	Title            string           `json:"title,omitempty"`
	SHA256           string           `json:"sha256"`
	Signatures       []SignatureCheck `json:"signatures"`
	// ModifiedAfterSigning: the file has bytes after its last embedded signature.
	ModifiedAfterSigning bool `json:"modified_after_signing"`
}

// SignatureCheck is one signature of an uploaded file.
type SignatureCheck struct {
	Name     string    `json:"name"`
	SignedAt time.Time `json:"signed_at"`
	Valid    bool      `json:"valid"`
	// The rest describe a signature embedded in the PDF.
	Slot     string `json:"slot,omitempty"`
	Capacity string `json:"capacity,omitempty"`
	Reason   string `json:"reason,omitempty"`
	Intact   *bool  `json:"intact,omitempty"`
	Trusted  *bool  `json:"trusted,omitempty"`
	Changes  string `json:"changes_after,omitempty"`
}

// VerifyFile answers whether a file is a document Pantau issued, byte for byte, at its latest
// or an earlier signed state. When the file holds PDF signatures the answer lists them as the
// file holds them (a commitment recognised at an earlier state shows the signatures of that
// state), and the file is valid only if Pantau issued exactly these bytes and every signature
// is intact, trusted (TrustRoots) and followed by nothing but later signatures: any byte
// changed inside a signed range makes it invalid.
func (s *Service) VerifyFile(ctx context.Context, data []byte) (*FileCheck, error) {
	sum := sha256.Sum256(data)
	out := &FileCheck{SHA256: hex.EncodeToString(sum[:]), Signatures: []SignatureCheck{}}
	doc, err := s.DB.DocumentByHash(ctx, out.SHA256)
	if err != nil && !errors.Is(err, models.ErrNotFound) {
		return nil, err
	}
	if doc != nil {
		out.Valid, out.VerificationCode, out.Kind, out.Title = true, &doc.VerificationCode, doc.Kind, doc.Title
		sigs, err := s.DB.DocumentSignatures(ctx, doc.ID)
		if err != nil {
			return nil, err
		}
		for _, sg := range sigs {
			out.Signatures = append(out.Signatures, SignatureCheck{Name: sg.Name, SignedAt: sg.SignedAt, Valid: true})
		}
	}
	if !bytes.Contains(data, []byte("/ByteRange")) {
		return out, nil
	}
	roots, err := s.TrustRoots(ctx)
	if err != nil {
		return nil, err
	}
	rep := VerifySignatures(data, roots)
	if len(rep.Signatures) == 0 {
		return out, nil
	}
	out.Signatures = []SignatureCheck{}
	out.ModifiedAfterSigning = rep.ModifiedAfterSigning
	out.Valid = out.Valid && rep.Valid()
	for i := range rep.Signatures {
		sig := &rep.Signatures[i]
		intact, trusted := sig.Intact, sig.Trusted
		out.Signatures = append(out.Signatures, SignatureCheck{Name: sig.Name, SignedAt: sig.Time, Valid: sig.Valid(),
			Slot: sig.Field, Capacity: sig.Label, Reason: sig.Reason, Intact: &intact, Trusted: &trusted, Changes: sig.Changes})
	}
	return out, nil
}

// VerifySignatures checks every PDF signature in data against roots: whether the signed bytes
// are intact, the signer's certificate chains to a root, and what was changed after each.
func VerifySignatures(data []byte, roots *Roots) *pdfsign.Report {
	return pdfsign.Verify(data, roots.Pool())
}

// Roots are the certificate authorities signatures are checked against.
type Roots struct {
	pool  *x509.CertPool
	names []string
}

// Add trusts a certificate authority.
func (r *Roots) Add(c *x509.Certificate) {
	if r.pool == nil {
		r.pool = x509.NewCertPool()
	}
	r.pool.AddCert(c)
	r.names = append(r.names, c.Subject.CommonName)
}

// AddPEM trusts every certificate in PEM data; data without one is an error.
func (r *Roots) AddPEM(data []byte) error {
	n := 0
	for blk, rest := pem.Decode(data); blk != nil; blk, rest = pem.Decode(rest) {
		c, err := x509.ParseCertificate(blk.Bytes)
		if err != nil {
			return err
		}
		r.Add(c)
		n++
	}
	if n == 0 {
		return errors.New("no PEM certificate")
	}
	return nil
}

// Pool is the roots as a pool for verification; nil when there are none.
func (r *Roots) Pool() *x509.CertPool {
	if r == nil {
		return nil
	}
	return r.pool
}

// Names are the roots' common names, in the order they were added.
func (r *Roots) Names() []string {
	if r == nil {
		return nil
	}
	return r.names
}

// TrustRoots are the installation's CA (none without a signing service) and the roots of
// imported signers' chains.
func (s *Service) TrustRoots(ctx context.Context) (*Roots, error) {
	r := &Roots{}
	if !s.SigningAvailable() {
		return r, nil
	}
	r.Add(s.Signing.CA.Cert)
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
// one, without opening the database (the command line's verify).
func InstallationRoots(caDir string) (*Roots, error) {
	r := &Roots{}
	ca, err := models.ReadCACertificate(caDir)
	switch {
	case err == nil:
		r.Add(ca)
	case !errors.Is(err, models.ErrNotFound):
		return nil, fmt.Errorf("CA certificate in %s: %w", caDir, err)
	}
	return r, nil
}
