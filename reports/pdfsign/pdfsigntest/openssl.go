package pdfsigntest

import (
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"encoding/hex"
	"fmt"
	"os/exec"
	"testing"
	"time"

	"github.com/smallstep/pkcs7"
)

// SignedParts cuts a signature out of a PDF by its /ByteRange: the signed bytes and the CMS
// (or timestamp token) without its zero padding.
func SignedParts(tb testing.TB, pdf []byte, br [4]int64) (content, blob []byte) {
	tb.Helper()
	content = append(append([]byte{}, pdf[:br[1]]...), pdf[br[2]:br[2]+br[3]]...)
	raw, err := hex.DecodeString(string(pdf[br[1]+1 : br[2]-1]))
	if err != nil {
		tb.Fatal(err)
	}
	var v asn1.RawValue
	if _, err := asn1.Unmarshal(raw, &v); err != nil {
		tb.Fatal(err)
	}
	return content, v.FullBytes
}

// SignatureToken returns the signature-time-stamp token in a CMS's unsigned attributes and
// the SHA-256 of the signature value it should cover; nil when there is none.
func SignatureToken(tb testing.TB, cms []byte) (token, imprint []byte) {
	tb.Helper()
	p7, err := pkcs7.Parse(cms)
	if err != nil || len(p7.Signers) != 1 {
		tb.Fatalf("CMS: %v", err)
	}
	for _, a := range p7.Signers[0].UnauthenticatedAttributes {
		if a.Type.Equal(asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}) {
			var v asn1.RawValue
			if _, err := asn1.Unmarshal(a.Value.Bytes, &v); err != nil {
				tb.Fatal(err)
			}
			h := sha256.Sum256(p7.Signers[0].EncryptedDigest)
			return v.FullBytes, h[:]
		}
	}
	return nil, nil
}

// OpenSSLCMSVerify runs `openssl cms -verify` on a detached CMS over content, trusting cas;
// a non-zero at verifies as of that time (-attime). It returns openssl's output and whether it
// accepted the signature.
func OpenSSLCMSVerify(tb testing.TB, cms, content []byte, at time.Time, cas ...*x509.Certificate) (string, bool) {
	tb.Helper()
	args := []string{"cms", "-verify", "-binary", "-inform", "DER", "-in", WriteTemp(tb, "sig.p7s", cms),
		"-content", WriteTemp(tb, "content.bin", content), "-CAfile", WriteTemp(tb, "ca.pem", PEM(cas...)), "-out", "/dev/null"}
	if !at.IsZero() {
		args = append(args, "-attime", fmt.Sprint(at.Unix()))
	}
	out, err := exec.Command(Tool(tb, "openssl"), args...).CombinedOutput()
	return string(out), err == nil
}

// OpenSSLTSVerify runs `openssl ts -verify` on a timestamp token against a SHA-256 digest,
// trusting cas (-attime as above).
func OpenSSLTSVerify(tb testing.TB, token, digest []byte, at time.Time, cas ...*x509.Certificate) (string, bool) {
	tb.Helper()
	args := []string{"ts", "-verify", "-token_in", "-in", WriteTemp(tb, "token.der", token), "-digest", hex.EncodeToString(digest),
		"-CAfile", WriteTemp(tb, "tsa-ca.pem", PEM(cas...))}
	if !at.IsZero() {
		args = append(args, "-attime", fmt.Sprint(at.Unix()))
	}
	out, err := exec.Command(Tool(tb, "openssl"), args...).CombinedOutput()
	return string(out), err == nil
}

// Pdffonts runs poppler's pdffonts on the file: its output and whether it exited cleanly
// without an internal error.
func Pdffonts(tb testing.TB, pdf []byte) (string, bool) {
	tb.Helper()
	out, err := exec.Command(Tool(tb, "pdffonts"), WriteTemp(tb, "fonts.pdf", pdf)).CombinedOutput()
	return string(out), err == nil && !containsFold(string(out), "internal error")
}
