package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"io"
	"math/big"
	"net/http"
	"time"

	"golang.org/x/crypto/ocsp"
)

// Revoked is one revoked certificate, as a CRL lists it and OCSP answers it.
type Revoked struct {
	Serial    *big.Int
	RevokedAt time.Time
	Reason    int // an RFC 5280 reason code (ocsp.Unspecified, ocsp.KeyCompromise, …)
}

// CRL builds a certificate revocation list signed by the CA (caCert, caKey), valid from
// thisUpdate to nextUpdate, numbered number (which must grow with every new list).
func CRL(caCert *x509.Certificate, caKey crypto.Signer, revoked []Revoked, number *big.Int, thisUpdate, nextUpdate time.Time) ([]byte, error) {
	entries := make([]x509.RevocationListEntry, 0, len(revoked))
	for _, r := range revoked {
		entries = append(entries, x509.RevocationListEntry{SerialNumber: r.Serial, RevocationTime: r.RevokedAt.UTC(), ReasonCode: r.Reason})
	}
	return x509.CreateRevocationList(rand.Reader, &x509.RevocationList{Number: number, ThisUpdate: thisUpdate.UTC(),
		NextUpdate: nextUpdate.UTC(), RevokedCertificateEntries: entries}, caCert, caKey)
}

// CertStatus is what a CA knows about a serial number it may have issued.
type CertStatus struct {
	Issued  bool     // the CA issued a certificate with this serial number
	Revoked *Revoked // set when that certificate is revoked
}

// ErrUnknownIssuer: an OCSP request about a certificate of another CA.
var ErrUnknownIssuer = errors.New("pdfsign: the certificate was not issued by this CA")

// OCSPResponder answers OCSP requests (RFC 6960) about the certificates of one CA, signing the
// responses with the CA's own key.
type OCSPResponder struct {
	CA     *x509.Certificate
	Signer crypto.Signer
	// Status looks up a serial number.
	Status func(ctx context.Context, serial *big.Int) (CertStatus, error)
	// Validity is how long a response may be relied on (0: one day).
	Validity time.Duration
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

// Respond answers a DER OCSP request with a DER OCSP response: good, revoked or unknown for a
// certificate of this CA, "unauthorized" for one of another CA and "malformed request" for
// bytes that are not a request.
func (r *OCSPResponder) Respond(ctx context.Context, request []byte) ([]byte, error) {
	req, err := ocsp.ParseRequest(request)
	if err != nil {
		return ocsp.MalformedRequestErrorResponse, nil
	}
	resp, err := r.respond(ctx, req)
	if errors.Is(err, ErrUnknownIssuer) {
		return ocsp.UnauthorizedErrorResponse, nil
	}
	return resp, err
}

// ResponseFor answers about cert directly (without a request), e.g. to embed the answer in a
// document's validation data.
func (r *OCSPResponder) ResponseFor(ctx context.Context, cert *x509.Certificate) ([]byte, error) {
	req, err := ocsp.CreateRequest(cert, r.CA, &ocsp.RequestOptions{Hash: crypto.SHA256})
	if err != nil {
		return nil, err
	}
	parsed, err := ocsp.ParseRequest(req)
	if err != nil {
		return nil, err
	}
	return r.respond(ctx, parsed)
}

func (r *OCSPResponder) respond(ctx context.Context, req *ocsp.Request) ([]byte, error) {
	h := req.HashAlgorithm.New()
	h.Write(subjectPublicKey(r.CA))
	keyHash := h.Sum(nil)
	h = req.HashAlgorithm.New()
	h.Write(r.CA.RawSubject)
	if !bytes.Equal(keyHash, req.IssuerKeyHash) || !bytes.Equal(h.Sum(nil), req.IssuerNameHash) {
		return nil, ErrUnknownIssuer
	}
	st, err := r.Status(ctx, req.SerialNumber)
	if err != nil {
		return nil, err
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	validity := r.Validity
	if validity == 0 {
		validity = 24 * time.Hour
	}
	t := now().UTC().Truncate(time.Second)
	tmpl := ocsp.Response{Status: ocsp.Good, SerialNumber: req.SerialNumber, ThisUpdate: t, NextUpdate: t.Add(validity),
		IssuerHash: req.HashAlgorithm}
	switch {
	case !st.Issued:
		tmpl.Status = ocsp.Unknown
	case st.Revoked != nil:
		tmpl.Status, tmpl.RevokedAt, tmpl.RevocationReason = ocsp.Revoked, st.Revoked.RevokedAt.UTC(), st.Revoked.Reason
	}
	return ocsp.CreateResponse(r.CA, r.CA, tmpl, r.Signer)
}

// subjectPublicKey is the certificate's subjectPublicKey bit string (what OCSP hashes).
func subjectPublicKey(cert *x509.Certificate) []byte {
	var spki struct {
		Algorithm asn1.RawValue
		PublicKey asn1.BitString
	}
	if _, err := asn1.Unmarshal(cert.RawSubjectPublicKeyInfo, &spki); err != nil {
		return nil
	}
	return spki.PublicKey.RightAlign()
}

// Revocation is the evidence that certificates were not revoked: DER OCSP responses and CRLs.
type Revocation struct {
	OCSPs [][]byte
	CRLs  [][]byte
}

func (r Revocation) empty() bool { return len(r.OCSPs) == 0 && len(r.CRLs) == 0 }

// A RevocationSource gives the revocation evidence for one certificate and its issuer; an
// empty Revocation when it has none.
type RevocationSource interface {
	Revocation(ctx context.Context, cert, issuer *x509.Certificate) (Revocation, error)
}

// Revocation implements RevocationSource for the responder's own CA: an OCSP response made
// on the spot; nothing for other issuers.
func (r *OCSPResponder) Revocation(ctx context.Context, cert, issuer *x509.Certificate) (Revocation, error) {
	if !bytes.Equal(issuer.Raw, r.CA.Raw) {
		return Revocation{}, nil
	}
	resp, err := r.ResponseFor(ctx, cert)
	if err != nil {
		return Revocation{}, err
	}
	return Revocation{OCSPs: [][]byte{resp}}, nil
}

// CRLs is a RevocationSource of fixed CRLs (DER), e.g. an external TSA's that was fetched
// beforehand: it gives the CRL whose issuer signed it, for a certificate of that issuer.
type CRLs [][]byte

// Revocation implements RevocationSource.
func (c CRLs) Revocation(_ context.Context, _, issuer *x509.Certificate) (Revocation, error) {
	var out Revocation
	for _, der := range c {
		if crl, err := x509.ParseRevocationList(der); err == nil && crl.CheckSignatureFrom(issuer) == nil {
			out.CRLs = append(out.CRLs, der)
		}
	}
	return out, nil
}

// OnlineRevocation fetches revocation evidence where the certificate says: from its OCSP
// responder (authority information access), else from its CRL distribution point.
type OnlineRevocation struct {
	Client *http.Client // nil: a client with a 30-second timeout
}

// Revocation implements RevocationSource.
func (o OnlineRevocation) Revocation(ctx context.Context, cert, issuer *x509.Certificate) (Revocation, error) {
	client := o.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	if len(cert.OCSPServer) > 0 {
		req, err := ocsp.CreateRequest(cert, issuer, &ocsp.RequestOptions{Hash: crypto.SHA256})
		if err != nil {
			return Revocation{}, err
		}
		body, err := fetch(ctx, client, http.MethodPost, cert.OCSPServer[0], "application/ocsp-request", req)
		if err != nil {
			return Revocation{}, err
		}
		if _, err := ocsp.ParseResponseForCert(body, cert, issuer); err != nil {
			return Revocation{}, fmt.Errorf("OCSP response from %s: %w", cert.OCSPServer[0], err)
		}
		return Revocation{OCSPs: [][]byte{body}}, nil
	}
	if len(cert.CRLDistributionPoints) > 0 {
		body, err := fetch(ctx, client, http.MethodGet, cert.CRLDistributionPoints[0], "", nil)
		if err != nil {
			return Revocation{}, err
		}
		return CRLs{body}.Revocation(ctx, cert, issuer)
	}
	return Revocation{}, nil
}

func fetch(ctx context.Context, client *http.Client, method, url, contentType string, body []byte) ([]byte, error) {
	req, err := http.NewRequestWithContext(ctx, method, url, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	if resp.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("%s: HTTP %d", url, resp.StatusCode)
	}
	return io.ReadAll(io.LimitReader(resp.Body, 8<<20))
}

// RevocationSources asks each source in turn and gives the first non-empty answer.
type RevocationSources []RevocationSource

// Revocation implements RevocationSource.
func (s RevocationSources) Revocation(ctx context.Context, cert, issuer *x509.Certificate) (Revocation, error) {
	for _, src := range s {
		r, err := src.Revocation(ctx, cert, issuer)
		if err != nil || !r.empty() {
			return r, err
		}
	}
	return Revocation{}, nil
}
