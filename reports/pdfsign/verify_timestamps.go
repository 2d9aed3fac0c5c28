package pdfsign

import (
	"bytes"
	"crypto/x509"
	"encoding/asn1"
	"time"

	"github.com/digitorus/timestamp"
	"github.com/smallstep/pkcs7"
)

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
