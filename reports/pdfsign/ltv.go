package pdfsign

import (
	"bytes"
	"context"
	"crypto/sha256"
	"crypto/x509"
	"fmt"
	"slices"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
	"github.com/smallstep/pkcs7"
	"golang.org/x/crypto/ocsp"
)

// validationData is a file's Document Security Store: certificates, OCSP responses and CRLs
// kept for validating its signatures long after they were made (PAdES B-LT).
type validationData struct {
	present bool
	offset  int64 // where the DSS dictionary (or the catalog holding it) is in the file
	certs   []*x509.Certificate
	ocsps   []*ocsp.Response // parsed, their signatures checked against an issuer only when used
	crls    []*x509.RevocationList
	raw     map[string][][]byte // "Certs", "OCSPs", "CRLs" → the DER of each entry
	signed  map[ocspIssuer]bool // signedBy's answers
}

type ocspIssuer struct {
	resp   *ocsp.Response
	issuer *x509.Certificate
}

// readDSS reads the catalog's /DSS.
func readDSS(ctx *model.Context) validationData {
	vd := validationData{raw: map[string][][]byte{}, signed: map[ocspIssuer]bool{}}
	catalog, err := ctx.Catalog()
	if err != nil {
		return vd
	}
	obj, ok := catalog.Find("DSS")
	if !ok {
		return vd
	}
	dss, err := ctx.DereferenceDict(obj)
	if err != nil || dss == nil {
		return vd
	}
	vd.present = true
	at := ctx.Root.ObjectNumber.Value()
	if ref, isRef := obj.(types.IndirectRef); isRef {
		at = ref.ObjectNumber.Value()
	}
	if e, ok := ctx.FindTableEntryLight(at); ok && e.Offset != nil {
		vd.offset = *e.Offset
	}
	for _, key := range []string{"Certs", "OCSPs", "CRLs"} {
		arr, _ := ctx.DereferenceArray(dss[key])
		for _, o := range arr {
			sd, _, err := ctx.DereferenceStreamDict(o)
			if err != nil || sd == nil || sd.Decode() != nil {
				continue
			}
			vd.raw[key] = append(vd.raw[key], sd.Content)
			switch key {
			case "Certs":
				if c, err := x509.ParseCertificate(sd.Content); err == nil {
					vd.certs = append(vd.certs, c)
				}
			case "OCSPs":
				if resp, err := ocsp.ParseResponse(sd.Content, nil); err == nil {
					vd.ocsps = append(vd.ocsps, resp)
				}
			case "CRLs":
				if crl, err := x509.ParseRevocationList(sd.Content); err == nil {
					vd.crls = append(vd.crls, crl)
				}
			}
		}
	}
	return vd
}

// status looks up every certificate of a verified chain but its root in the revocation data:
// complete when each has an OCSP response or a CRL from its issuer; revoked explains a
// certificate revoked at or before at.
func (vd validationData) status(chain []*x509.Certificate, at time.Time) (complete bool, revoked string) {
	complete = true
	for i := 0; i+1 < len(chain); i++ {
		cert, issuer := chain[i], chain[i+1]
		found := false
		for _, resp := range vd.ocsps {
			if resp.SerialNumber.Cmp(cert.SerialNumber) != 0 {
				continue
			}
			key := ocspIssuer{resp, issuer}
			ok, known := vd.signed[key]
			if !known {
				ok = signedBy(resp, issuer)
				vd.signed[key] = ok
			}
			if !ok {
				continue
			}
			found = true
			if resp.Status == ocsp.Revoked && !resp.RevokedAt.After(at) {
				return complete, fmt.Sprintf("%s was revoked on %s", cert.Subject.CommonName, resp.RevokedAt.UTC().Format(time.RFC3339))
			}
		}
		for _, crl := range vd.crls {
			if !bytes.Equal(crl.RawIssuer, cert.RawIssuer) || crl.CheckSignatureFrom(issuer) != nil {
				continue
			}
			found = true
			for _, e := range crl.RevokedCertificateEntries {
				if e.SerialNumber.Cmp(cert.SerialNumber) == 0 && !e.RevocationTime.After(at) {
					return complete, fmt.Sprintf("%s was revoked on %s", cert.Subject.CommonName, e.RevocationTime.UTC().Format(time.RFC3339))
				}
			}
		}
		complete = complete && found
	}
	return complete, ""
}

// signedBy reports whether an OCSP response comes from issuer: signed with its key, or by a
// responder certificate it issued for OCSP signing.
func signedBy(resp *ocsp.Response, issuer *x509.Certificate) bool {
	if resp.Certificate == nil {
		return resp.CheckSignatureFrom(issuer) == nil
	}
	// ParseResponse already checked the response's signature with the embedded certificate.
	return resp.Certificate.CheckSignatureFrom(issuer) == nil && slices.Contains(resp.Certificate.ExtKeyUsage, x509.ExtKeyUsageOCSPSigning)
}

// AddValidationData appends an incremental update with a Document Security Store (PAdES
// B-LT): the certificates of every signature's and every timestamp's chain and, from src, an
// OCSP response or a CRL for each of them but the roots. Existing DSS entries are kept. It
// fails, changing nothing, when src has nothing for some certificate.
func AddValidationData(ctx context.Context, pdf []byte, src RevocationSource) ([]byte, error) {
	doc, err := openDocument(pdf)
	if err != nil {
		return nil, err
	}
	old := readDSS(doc.ctx)
	have := map[[32]byte]bool{}
	for _, list := range old.raw {
		for _, der := range list {
			have[sha256.Sum256(der)] = true
		}
	}
	add := map[string][][]byte{}
	put := func(key string, der []byte) {
		if h := sha256.Sum256(der); !have[h] {
			have[h] = true
			add[key] = append(add[key], der)
		}
	}
	for _, chain := range documentChains(doc.ctx, pdf) {
		for i, cert := range chain {
			put("Certs", cert.Raw)
			if i+1 == len(chain) {
				if !selfSigned(cert) {
					return nil, fmt.Errorf("pdfsign: the issuer of %q is not in the document", cert.Subject.CommonName)
				}
				break
			}
			rev, err := src.Revocation(ctx, cert, chain[i+1])
			if err != nil {
				return nil, fmt.Errorf("pdfsign: revocation data for %q: %w", cert.Subject.CommonName, err)
			}
			if rev.empty() {
				return nil, fmt.Errorf("pdfsign: no revocation data for %q", cert.Subject.CommonName)
			}
			for _, der := range rev.OCSPs {
				put("OCSPs", der)
			}
			for _, der := range rev.CRLs {
				put("CRLs", der)
			}
		}
	}
	inc := newIncrement(pdf, doc.size)
	dss := types.Dict{"Type": types.Name("DSS")}
	for _, key := range []string{"Certs", "OCSPs", "CRLs"} {
		var arr types.Array
		if dssDict, err := doc.ctx.DereferenceDict(doc.catalog["DSS"]); err == nil && dssDict != nil {
			if prev, err := doc.ctx.DereferenceArray(dssDict[key]); err == nil {
				arr = append(arr, prev...)
			}
		}
		for _, der := range add[key] {
			arr = append(arr, inc.addStream(types.Dict{}, der, true))
		}
		if len(arr) > 0 {
			dss[key] = arr
		}
	}
	doc.catalog["DSS"] = inc.add(dss.PDFString())
	if doc.catalog["Extensions"] == nil {
		doc.catalog["Extensions"] = types.Dict{"ESIC": types.Dict{"BaseVersion": types.Name(pdfVersion), "ExtensionLevel": types.Integer(1)}}
	}
	doc.dirty["catalog"] = true
	doc.requireVersion(pdf)
	doc.writeFormAndCatalog(inc)
	return inc.close(doc), nil
}

// documentChains returns the certificate chain (as far as the embedded certificates reach) of
// every signature, signature timestamp and document timestamp in the file.
func documentChains(ctx *model.Context, pdf []byte) [][]*x509.Certificate {
	v := &verifier{pdf: pdf, final: ctx}
	var out [][]*x509.Certificate
	addCMS := func(blob []byte) *pkcs7.PKCS7 {
		p7, err := pkcs7.Parse(blob)
		if err != nil || p7.GetOnlySigner() == nil {
			return nil
		}
		out = append(out, buildChain(p7.GetOnlySigner(), p7.Certificates))
		return p7
	}
	for _, f := range signatureFields(ctx) {
		_, _, blob, err := v.signedBytes(f.value)
		if err != nil {
			continue
		}
		if p7 := addCMS(blob); p7 != nil && !f.docTimestamp() {
			if token := unsignedAttribute(p7, oidAttrSignatureTSToken); token != nil {
				addCMS(token)
			}
		}
	}
	return out
}

// buildChain follows issuers among certs from cert up to a self-signed one or as far as they go.
func buildChain(cert *x509.Certificate, certs []*x509.Certificate) []*x509.Certificate {
	chain := []*x509.Certificate{cert}
	for len(chain) < 10 && !selfSigned(chain[len(chain)-1]) {
		last := chain[len(chain)-1]
		var next *x509.Certificate
		for _, c := range certs {
			if bytes.Equal(c.RawSubject, last.RawIssuer) && last.CheckSignatureFrom(c) == nil {
				next = c
				break
			}
		}
		if next == nil {
			break
		}
		chain = append(chain, next)
	}
	return chain
}

func selfSigned(c *x509.Certificate) bool {
	return bytes.Equal(c.RawSubject, c.RawIssuer) && c.CheckSignatureFrom(c) == nil
}

// AddDocumentTimestamp appends a document timestamp (SubFilter ETSI.RFC3161) over the whole
// file in an invisible signature field of its own: with a DSS before it, the signatures reach
// B-LTA. reserve is the room for the token (0: TimestampReserve).
func AddDocumentTimestamp(ctx context.Context, pdf []byte, ts Timestamper, reserve int) ([]byte, error) {
	if reserve == 0 {
		reserve = TimestampReserve
	}
	doc, err := openDocument(pdf)
	if err != nil {
		return nil, err
	}
	inc := newIncrement(pdf, doc.size)
	fieldName := fmt.Sprintf("timestamp_%d", len(doc.fields)+1)
	for n := len(doc.fields) + 2; doc.fields[fieldName].ObjectNumber != 0; n++ {
		fieldName = fmt.Sprintf("timestamp_%d", n)
	}
	fieldRef, sigRef := inc.reserve(), inc.reserve()
	inc.put(fieldRef, types.Dict{"Type": types.Name("Annot"), "Subtype": types.Name("Widget"), "FT": types.Name("Sig"),
		"T": textString(fieldName), "F": types.Integer(132), "Rect": types.NewIntegerArray(0, 0, 0, 0), "V": sigRef}.PDFString())
	if doc.acroForm == nil {
		doc.acroForm = types.Dict{"Fields": types.Array{}}
	}
	fields, _ := doc.ctx.DereferenceArray(doc.acroForm["Fields"])
	doc.acroForm["Fields"] = append(append(types.Array{}, fields...), fieldRef)
	doc.dirty["form"] = true
	doc.requireVersion(pdf)
	doc.writeFormAndCatalog(inc)
	return inc.seal(doc, sigRef, "/Type /DocTimeStamp /Filter /Adobe.PPKLite /SubFilter /ETSI.RFC3161", reserve, func(signed []byte) ([]byte, error) {
		digest := sha256.Sum256(signed)
		return ts.Timestamp(ctx, digest[:])
	})
}
