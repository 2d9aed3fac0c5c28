package pdfsign

import (
	"encoding/asn1"
	"errors"
	"fmt"

	"github.com/smallstep/pkcs7"
)

// signCMS returns a detached CMS SignedData over content (SHA-256), signed through req.Signer,
// with the signer's certificate and chain embedded.
func signCMS(content []byte, req Request) ([]byte, error) {
	sd, err := pkcs7.NewSignedData(content)
	if err != nil {
		return nil, err
	}
	sd.SetDigestAlgorithm(pkcs7.OIDDigestAlgorithmSHA256)
	if err := sd.AddSignerChain(req.Chain[0], req.Signer, req.Chain[1:], pkcs7.SignerInfoConfig{}); err != nil {
		return nil, fmt.Errorf("pdfsign: CMS: %w", err)
	}
	sd.Detach()
	return sd.Finish()
}

// derLength returns the length of the DER value at the start of b (so that the zero padding
// of a /Contents string can be cut off).
func derLength(b []byte) (int, error) {
	var raw asn1.RawValue
	rest, err := asn1.Unmarshal(b, &raw)
	if err != nil {
		return 0, err
	}
	n := len(b) - len(rest)
	for _, c := range rest {
		if c != 0 {
			return 0, errors.New("data after the CMS blob")
		}
	}
	return n, nil
}
