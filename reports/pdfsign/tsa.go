package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/rand"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/asn1"
	"errors"
	"fmt"
	"math/big"
	"net/http"
	"time"

	"github.com/digitorus/timestamp"
)

// A Timestamper obtains RFC 3161 timestamp tokens: from a time-stamping authority over HTTP
// (TSAClient) or from the installation's own (LocalTSA).
type Timestamper interface {
	// Timestamp returns a TimeStampToken (a DER CMS ContentInfo) whose message imprint is
	// the given SHA-256 digest.
	Timestamp(ctx context.Context, digest []byte) ([]byte, error)
}

// TSAClient asks a time-stamping authority over HTTP (RFC 3161, POST of an
// application/timestamp-query).
type TSAClient struct {
	URL string
	// Client sends the request (nil: a client with a 30-second timeout).
	Client *http.Client
}

// Timestamp implements Timestamper.
func (c TSAClient) Timestamp(ctx context.Context, digest []byte) ([]byte, error) {
	nonce, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 64))
	if err != nil {
		return nil, err
	}
	query, err := (&timestamp.Request{HashAlgorithm: crypto.SHA256, HashedMessage: digest, Certificates: true, Nonce: nonce}).Marshal()
	if err != nil {
		return nil, err
	}
	client := c.Client
	if client == nil {
		client = &http.Client{Timeout: 30 * time.Second}
	}
	body, err := fetch(ctx, client, http.MethodPost, c.URL, "application/timestamp-query", query)
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority: %w", err)
	}
	ts, err := timestamp.ParseResponse(body)
	if err != nil {
		return nil, fmt.Errorf("time-stamping authority: %w", err)
	}
	if !bytes.Equal(ts.HashedMessage, digest) || ts.HashAlgorithm != crypto.SHA256 || ts.Nonce == nil || ts.Nonce.Cmp(nonce) != 0 {
		return nil, errors.New("time-stamping authority: the token does not answer the request")
	}
	return ts.RawToken, nil
}

// LocalTSA is a time-stamping authority run by the installation itself, for installations
// without access to an external one: it signs tokens with its own key and a certificate for
// time stamping (IssueTSACertificate) from the installation's CA. Its tokens are worth what
// the installation's clock and CA are worth.
type LocalTSA struct {
	// Cert is the TSA certificate, Chain its issuers (embedded in every token), Signer its key.
	Cert   *x509.Certificate
	Chain  []*x509.Certificate
	Signer crypto.Signer
	// Policy is the TSA policy named in each token (nil: anyPolicy, 2.5.29.32.0).
	Policy asn1.ObjectIdentifier
	// Now is the clock (nil: time.Now).
	Now func() time.Time
}

var anyPolicy = asn1.ObjectIdentifier{2, 5, 29, 32, 0}

// Timestamp implements Timestamper.
func (t LocalTSA) Timestamp(_ context.Context, digest []byte) ([]byte, error) {
	resp, err := t.respond(crypto.SHA256, digest, nil)
	if err != nil {
		return nil, err
	}
	ts, err := timestamp.ParseResponse(resp)
	if err != nil {
		return nil, err
	}
	return ts.RawToken, nil
}

// Respond answers a DER TimeStampReq with a DER TimeStampResp, for serving the TSA over HTTP
// (Content-Type application/timestamp-reply).
func (t LocalTSA) Respond(query []byte) ([]byte, error) {
	req, err := timestamp.ParseRequest(query)
	if err != nil {
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadDataFormat)
	}
	if req.HashAlgorithm != crypto.SHA256 && req.HashAlgorithm != crypto.SHA384 && req.HashAlgorithm != crypto.SHA512 {
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadAlgorithm)
	}
	return t.respond(req.HashAlgorithm, req.HashedMessage, req.Nonce)
}

func (t LocalTSA) respond(h crypto.Hash, digest []byte, nonce *big.Int) ([]byte, error) {
	if len(digest) != h.Size() {
		return timestamp.CreateErrorResponse(timestamp.Rejection, timestamp.BadDataFormat)
	}
	now := time.Now
	if t.Now != nil {
		now = t.Now
	}
	policy := t.Policy
	if policy == nil {
		policy = anyPolicy
	}
	ts := timestamp.Timestamp{HashAlgorithm: h, HashedMessage: digest, Time: now().UTC().Truncate(time.Second), Accuracy: time.Second,
		Policy: policy, Nonce: nonce, Certificates: t.Chain, AddTSACertificate: true}
	return ts.CreateResponseWithOpts(t.Cert, t.Signer, crypto.SHA256)
}

// IssueTSACertificate certifies key as a time-stamping authority under the CA (caCert,
// caKey): the only extended key usage is timeStamping, marked critical as RFC 3161 requires.
func IssueTSACertificate(caCert *x509.Certificate, caKey crypto.Signer, key crypto.PublicKey, subject pkix.Name, notBefore, notAfter time.Time) (*x509.Certificate, error) {
	serial, err := rand.Int(rand.Reader, new(big.Int).Lsh(big.NewInt(1), 120))
	if err != nil {
		return nil, err
	}
	eku, err := asn1.Marshal([]asn1.ObjectIdentifier{{1, 3, 6, 1, 5, 5, 7, 3, 8}})
	if err != nil {
		return nil, err
	}
	tmpl := &x509.Certificate{SerialNumber: serial, Subject: subject, NotBefore: notBefore, NotAfter: notAfter,
		KeyUsage:        x509.KeyUsageDigitalSignature | x509.KeyUsageContentCommitment,
		ExtraExtensions: []pkix.Extension{{Id: asn1.ObjectIdentifier{2, 5, 29, 37}, Critical: true, Value: eku}}}
	der, err := x509.CreateCertificate(rand.Reader, tmpl, caCert, key, caKey)
	if err != nil {
		return nil, err
	}
	return x509.ParseCertificate(der)
}
