package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/ecdsa"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/x509"
	"encoding/asn1"
	"errors"
	"fmt"
	"slices"

	"golang.org/x/crypto/cryptobyte"
	cbasn1 "golang.org/x/crypto/cryptobyte/asn1"
)

// Object identifiers of the CMS structures and attributes written and read here.
var (
	oidData                 = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 1}
	oidSignedData           = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 7, 2}
	oidSHA256               = asn1.ObjectIdentifier{2, 16, 840, 1, 101, 3, 4, 2, 1}
	oidECDSAWithSHA256      = asn1.ObjectIdentifier{1, 2, 840, 10045, 4, 3, 2}
	oidRSAWithSHA256        = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 1, 11}
	oidAttrContentType      = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 3}
	oidAttrMessageDigest    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 4}
	oidAttrSigningCertV2    = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 47}
	oidAttrSignatureTSToken = asn1.ObjectIdentifier{1, 2, 840, 113549, 1, 9, 16, 2, 14}
)

// signCAdES returns a detached CMS SignedData over content as PAdES baseline wants it
// (ETSI EN 319 142-1): SHA-256, the signed attributes content-type, message-digest and the
// ESS signing-certificate-v2 — and no signing-time, the claimed time being the signature
// dictionary's /M — signed through req.Signer, with the chain embedded. With a Timestamper
// the signature value is timestamped and the token added as the unsigned attribute
// signature-time-stamp (B-T).
//
// smallstep/pkcs7, which reads and checks these structures, always adds a signing-time
// attribute when it signs, so the SignedData is assembled here with cryptobyte.
func signCAdES(ctx context.Context, content []byte, req Request) ([]byte, error) {
	cert := req.Chain[0]
	sigAlg, err := signatureAlgorithm(req.Signer.Public())
	if err != nil {
		return nil, err
	}
	digest := sha256.Sum256(content)
	certHash := sha256.Sum256(cert.Raw)
	essCertIDv2 := der(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SigningCertificateV2
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // certs
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ESSCertIDv2 (hash algorithm: the default, SHA-256)
					b.AddASN1OctetString(certHash[:])
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerSerial
						b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // GeneralNames
							b.AddASN1(cbasn1.Tag(4).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) { b.AddBytes(cert.RawIssuer) })
						})
						b.AddASN1BigInt(cert.SerialNumber)
					})
				})
			})
		})
	})
	signedAttrs := [][]byte{
		attribute(oidAttrContentType, der(func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) })),
		attribute(oidAttrMessageDigest, der(func(b *cryptobyte.Builder) { b.AddASN1OctetString(digest[:]) })),
		attribute(oidAttrSigningCertV2, essCertIDv2),
	}
	attrsDigest := sha256.Sum256(derSet(cbasn1.SET, signedAttrs))
	signature, err := req.Signer.Sign(rand.Reader, attrsDigest[:], crypto.SHA256)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: the signer refused: %w", err)
	}
	var unsignedAttrs [][]byte
	if req.Timestamper != nil {
		imprint := sha256.Sum256(signature)
		token, err := req.Timestamper.Timestamp(ctx, imprint[:])
		if err != nil {
			return nil, fmt.Errorf("pdfsign: signature timestamp: %w", err)
		}
		unsignedAttrs = append(unsignedAttrs, attribute(oidAttrSignatureTSToken, token))
	}
	signerInfo := der(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1Int64(1)
			b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // IssuerAndSerialNumber
				b.AddBytes(cert.RawIssuer)
				b.AddASN1BigInt(cert.SerialNumber)
			})
			algorithmIdentifier(b, oidSHA256, false)
			b.AddBytes(derSet(cbasn1.Tag(0).Constructed().ContextSpecific(), signedAttrs))
			algorithmIdentifier(b, sigAlg, sigAlg.Equal(oidRSAWithSHA256))
			b.AddASN1OctetString(signature)
			if len(unsignedAttrs) > 0 {
				b.AddBytes(derSet(cbasn1.Tag(1).Constructed().ContextSpecific(), unsignedAttrs))
			}
		})
	})
	return der(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // ContentInfo
			b.AddASN1ObjectIdentifier(oidSignedData)
			b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
				b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { // SignedData
					b.AddASN1Int64(1)
					b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { algorithmIdentifier(b, oidSHA256, false) })
					b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) { b.AddASN1ObjectIdentifier(oidData) })
					b.AddASN1(cbasn1.Tag(0).Constructed().ContextSpecific(), func(b *cryptobyte.Builder) {
						for _, c := range req.Chain {
							b.AddBytes(c.Raw)
						}
					})
					b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(signerInfo) })
				})
			})
		})
	}), nil
}

// signatureAlgorithm names the CMS signature algorithm for a public key.
func signatureAlgorithm(pub crypto.PublicKey) (asn1.ObjectIdentifier, error) {
	switch pub.(type) {
	case *ecdsa.PublicKey:
		return oidECDSAWithSHA256, nil
	case *rsa.PublicKey:
		return oidRSAWithSHA256, nil
	}
	return nil, fmt.Errorf("pdfsign: unsupported signer key type %T (ECDSA or RSA)", pub)
}

func algorithmIdentifier(b *cryptobyte.Builder, oid asn1.ObjectIdentifier, nullParams bool) {
	b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
		b.AddASN1ObjectIdentifier(oid)
		if nullParams {
			b.AddASN1NULL()
		}
	})
}

// attribute encodes a CMS Attribute with one value (already DER).
func attribute(oid asn1.ObjectIdentifier, value []byte) []byte {
	return der(func(b *cryptobyte.Builder) {
		b.AddASN1(cbasn1.SEQUENCE, func(b *cryptobyte.Builder) {
			b.AddASN1ObjectIdentifier(oid)
			b.AddASN1(cbasn1.SET, func(b *cryptobyte.Builder) { b.AddBytes(value) })
		})
	})
}

// derSet encodes a SET OF with the given tag, its elements sorted as DER requires.
func derSet(tag cbasn1.Tag, elems [][]byte) []byte {
	sorted := slices.Clone(elems)
	slices.SortFunc(sorted, bytes.Compare)
	return der(func(b *cryptobyte.Builder) {
		b.AddASN1(tag, func(b *cryptobyte.Builder) {
			for _, e := range sorted {
				b.AddBytes(e)
			}
		})
	})
}

// der runs a cryptobyte builder; the structures built here cannot fail to encode.
func der(build func(*cryptobyte.Builder)) []byte {
	var b cryptobyte.Builder
	build(&b)
	return b.BytesOrPanic()
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

// certHashMatches reports whether an ESS signing-certificate-v2 attribute value names cert
// (SHA-256 hash, the only algorithm written here; others are accepted when they name it too).
func certHashMatches(value []byte, cert *x509.Certificate) bool {
	var v struct {
		Certs []struct {
			HashAlgorithm struct {
				Algorithm asn1.ObjectIdentifier
			} `asn1:"optional"`
			CertHash []byte
			Rest     asn1.RawValue `asn1:"optional"`
		}
		Rest asn1.RawValue `asn1:"optional"`
	}
	if _, err := asn1.Unmarshal(value, &v); err != nil || len(v.Certs) == 0 {
		return false
	}
	first := v.Certs[0]
	if len(first.HashAlgorithm.Algorithm) > 0 && !first.HashAlgorithm.Algorithm.Equal(oidSHA256) {
		return false
	}
	h := sha256.Sum256(cert.Raw)
	return bytes.Equal(first.CertHash, h[:])
}
