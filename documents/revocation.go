package documents

import (
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"errors"
	"fmt"
	"math/big"
	"path/filepath"
	"time"

	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// CRLValidity is how long the installation CA's CRL may be relied on before a newer one is due.
const CRLValidity = 7 * 24 * time.Hour

// ocspResponder answers for the installation CA's certificates from its register of issued
// certificates, on the server's clock.
func (s *Service) ocspResponder(sg *models.Signing) *pdfsign.OCSPResponder {
	return &pdfsign.OCSPResponder{CA: sg.CA.Cert, Signer: sg.CA.Key(), Now: s.DB.Now,
		Status: func(ctx context.Context, serial *big.Int) (pdfsign.CertStatus, error) {
			c, err := s.DB.CertificateStatus(ctx, serial)
			if errors.Is(err, models.ErrNotFound) {
				return pdfsign.CertStatus{}, nil
			}
			if err != nil {
				return pdfsign.CertStatus{}, err
			}
			st := pdfsign.CertStatus{Issued: true}
			if c.RevokedAt != nil {
				st.Revoked = &pdfsign.Revoked{Serial: serial, RevokedAt: *c.RevokedAt, Reason: c.RevocationReason}
			}
			return st, nil
		}}
}

// revocationSources give the validation data appended after each signature: the installation
// CA's own OCSP answers, and for other certificates (an external TSA's) what their OCSP
// responder or CRL distribution point says.
func (s *Service) revocationSources(sg *models.Signing) pdfsign.RevocationSource {
	return pdfsign.RevocationSources{s.ocspResponder(sg), pdfsign.OnlineRevocation{}}
}

// OCSP answers a DER OCSP request about a certificate of the installation's CA (RFC 6960).
func (s *Service) OCSP(ctx context.Context, request []byte) ([]byte, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	return s.ocspResponder(sg).Respond(ctx, request)
}

// CRL is the installation CA's current certificate revocation list (DER), valid for
// CRLValidity and numbered by the time it was made.
func (s *Service) CRL(ctx context.Context) ([]byte, error) {
	sg, err := s.signing()
	if err != nil {
		return nil, err
	}
	revoked, err := s.DB.RevokedCertificates(ctx)
	if err != nil {
		return nil, err
	}
	list := make([]pdfsign.Revoked, 0, len(revoked))
	for _, c := range revoked {
		serial, ok := new(big.Int).SetString(c.Serial, 16)
		if !ok {
			return nil, fmt.Errorf("issued certificate %d: bad serial %q", c.ID, c.Serial)
		}
		list = append(list, pdfsign.Revoked{Serial: serial, RevokedAt: *c.RevokedAt, Reason: c.RevocationReason})
	}
	now := s.DB.Now()
	return pdfsign.CRL(sg.CA.Cert, sg.CA.Key(), list, big.NewInt(now.Unix()), now, now.Add(CRLValidity))
}

// TSA file names in the CA's directory.
const (
	tsaCertFile = "tsa.pem"
	tsaKeyFile  = "tsa-key.pem"
)

// OpenLocalTSA opens the installation's own time-stamping authority, for installations
// without an external one: its key and certificate (issued by the installation's CA for ten
// years, within the CA's own validity) live in the CA's directory beside the CA's and are
// made on first use. The certificate is recorded with the CA's, so that OCSP answers for it;
// the TSA's clock is the database's.
func OpenLocalTSA(ctx context.Context, db *models.DB, ca *models.CA, dir string) (*pdfsign.LocalTSA, error) {
	key, cert, err := models.OpenKeyPair(filepath.Join(dir, tsaKeyFile), filepath.Join(dir, tsaCertFile), "TSA", func() (crypto.Signer, []byte, error) {
		key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, nil, err
		}
		now := db.Now()
		notAfter := now.AddDate(10, 0, 0)
		if notAfter.After(ca.Cert.NotAfter) {
			notAfter = ca.Cert.NotAfter
		}
		cert, err := pdfsign.IssueTSACertificate(ca.Cert, ca.Key(), key.Public(),
			pkix.Name{CommonName: "Pantau TSA — " + ca.Cert.Subject.CommonName, Organization: []string{"Pantau"}, Country: []string{"ID"}}, now.Add(-time.Hour), notAfter)
		if err != nil {
			return nil, nil, err
		}
		return key, cert.Raw, nil
	})
	if err != nil {
		return nil, err
	}
	if err := db.RecordIssuedCertificate(ctx, cert, models.PurposeTSA); err != nil {
		return nil, err
	}
	return &pdfsign.LocalTSA{Cert: cert, Chain: []*x509.Certificate{ca.Cert}, Signer: key, Now: db.Now}, nil
}
