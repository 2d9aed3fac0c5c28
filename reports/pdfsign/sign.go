// Package pdfsign adds PDF digital signatures to a document as incremental updates, so that
// several people can sign one file at different times and every earlier signature stays valid,
// keeps them verifiable for decades (PAdES baseline, ETSI EN 319 142-1), and checks the
// signatures of a file, reporting anything that changed after them.
//
// Signing. Each signature is a CMS detached SignedData over the file's bytes except the
// signature value (SubFilter ETSI.CAdES.detached, SHA-256) with the signed attributes
// content-type, message-digest and the ESS signing-certificate-v2 and the signer's chain
// embedded (B-B), written with a visible appearance (the drawn image and text lines in an
// embedded subset of Go Regular) into a signature field. With a Timestamper the signature
// value gets an RFC 3161 timestamp as the unsigned attribute signature-time-stamp (B-T):
// from an external authority (TSAClient) or the installation's own (LocalTSA).
// AddValidationData then appends a Document Security Store with the chains and an OCSP
// response or CRL for every certificate (B-LT), and AddDocumentTimestamp a document timestamp
// over all of it (B-LTA). The installation's CA publishes its revocation data with CRL and
// OCSPResponder. The first signature may certify the document (DocMDP P=2: form filling and
// signing only); it then also creates the empty fields for every later signer, so that later
// signatures only fill existing fields.
//
// The private key is only ever used through crypto.Signer (one Sign call over the SHA-256 of
// the signed attributes): a key in memory, an HSM or a remote signing service all fit. The
// existing file is parsed with pdfcpu; the increment (new and changed objects, a classic
// cross-reference section and a trailer pointing to the previous one) is written here.
//
// Verifying. Verify checks each signature's bytes and CMS, its level (Level…), whether its
// signer chains to the given roots — at the time its trusted timestamp proves, with the
// file's revocation data, so that a B-LT signature stays trusted after the signer's
// certificate expires — and compares the file after each signature with the file at it (see
// changes.go): only later signatures filling existing fields, validation data and document
// timestamps may follow; anything else is ChangedOther.
//
// Libraries. github.com/digitorus/pdfsign (v0.0.0-20250819064552-5f74f69dda1d) was evaluated
// against this package on the same documents and is not used: its signer cannot fill a field
// that already exists (every signature makes a new field "Signature N", which DocMDP P=2 does
// not allow after certification), refuses a visible certification signature, certifies
// without writing the catalog's /Perms (so readers do not see a certification), writes only
// adbe.pkcs7.detached with revocation data in the Adobe signed attribute rather than a DSS,
// draws text in a non-embedded Times-Roman, replaces the catalog object on every signature,
// and, signing a document this package had certified, wrote an update that broke the first
// signature and could not be parsed (pdfsig: "Input couldn't be parsed as a CMS signature").
// Its verifier has no change analysis. What it does well is taken from the library it builds
// on, github.com/digitorus/timestamp: RFC 3161 requests, responses and tokens, and the Go
// TSA's responses. CMS parsing and signature checks use github.com/smallstep/pkcs7; the CMS is
// assembled here with cryptobyte because that library always adds a signing-time attribute,
// which PAdES forbids. OCSP is golang.org/x/crypto/ocsp, CRLs crypto/x509.
package pdfsign

import (
	"bytes"
	"context"
	"crypto"
	"crypto/x509"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

func init() {
	// pdfcpu would otherwise create a configuration directory in the user's home.
	model.ConfigPath = "disable"
}

// MinReserve is the least room left for the CMS blob, in bytes. A signature with a
// two-certificate chain takes about 1.5–2.5 KB; by default the room is the chain's size plus
// 4 KB, at least MinReserve (the blob is stored hex-encoded, so each reserved byte costs two
// in the file). A timestamp takes TimestampReserve more (a token with the TSA's chain is
// 2–6 KB).
const (
	MinReserve       = 8 << 10
	TimestampReserve = 12 << 10
)

// reserveFor is the default room for a signature.
func reserveFor(req Request) int {
	n := 4 << 10
	for _, c := range req.Chain {
		n += len(c.Raw)
	}
	if req.Timestamper != nil {
		n += TimestampReserve
	}
	return max(n, MinReserve)
}

// Rect is a rectangle in PDF user space (points, origin at the bottom left of the page).
type Rect struct{ X1, Y1, X2, Y2 float64 }

func (r Rect) width() float64  { return r.X2 - r.X1 }
func (r Rect) height() float64 { return r.Y2 - r.Y1 }

// Field is a signature field: its name (unique in the document), its page (1-based) and its box.
type Field struct {
	Name string
	Page int
	Rect Rect
}

// Appearance is what the signature shows in its box: the drawn image (PNG, optional) above
// lines of text (name, capacity, time).
type Appearance struct {
	PNG   []byte
	Lines []string
}

// Request describes one signature.
type Request struct {
	// Field names the field to sign: an existing empty signature field, or one of NewFields.
	Field string
	// NewFields are empty signature fields created in the same update (e.g. the first signer
	// creates every slot's field).
	NewFields []Field
	// Signer holds the private key; Chain is the signer's certificate first, then its issuers.
	Signer crypto.Signer
	Chain  []*x509.Certificate
	// FieldLabel is the field's name for people (/TU): the signer's capacity, e.g.
	// "a.n. Bupati Seruyan, Wakil Bupati Seruyan".
	FieldLabel string
	// Name, Reason, Location and ContactInfo go into the signature dictionary.
	Name, Reason, Location, ContactInfo string
	// Time is the signing time written as /M.
	Time time.Time
	// Certify makes this a certification signature (DocMDP, P=2). Only the first signature of
	// a document may certify.
	Certify bool
	// Appearance is drawn in the field's box.
	Appearance Appearance
	// Timestamper, when set, timestamps the signature value (PAdES B-T); nil leaves the
	// signature at B-B.
	Timestamper Timestamper
	// Reserve is the room for the CMS blob in bytes (0: the chain's size plus 4 KB, plus
	// TimestampReserve with a Timestamper, at least MinReserve).
	Reserve int

	legacy bool // SubFilter adbe.pkcs7.detached (for tests of files signed before PAdES)
}

// Errors Sign reports for a request that cannot be carried out.
var (
	ErrNoField       = errors.New("pdfsign: no such signature field")
	ErrFieldSigned   = errors.New("pdfsign: the signature field is already signed")
	ErrFieldExists   = errors.New("pdfsign: a field with this name already exists")
	ErrCertifyLate   = errors.New("pdfsign: only the first signature may certify a document")
	ErrXRefStream    = errors.New("pdfsign: documents with cross-reference streams are not supported")
	ErrNoCertificate = errors.New("pdfsign: the signer's certificate is missing")
)

// Sign appends one signature to pdf as an incremental update and returns the new file. The
// bytes of pdf are kept unchanged at the start of the result.
func Sign(pdf []byte, req Request) ([]byte, error) {
	return SignContext(context.Background(), pdf, req)
}

// SignContext is Sign with a context for the time-stamping authority's round trip.
func SignContext(ctx context.Context, pdf []byte, req Request) ([]byte, error) {
	if len(req.Chain) == 0 || req.Signer == nil {
		return nil, ErrNoCertificate
	}
	if req.Reserve == 0 {
		req.Reserve = reserveFor(req)
	}
	doc, err := openDocument(pdf)
	if err != nil {
		return nil, err
	}
	inc := newIncrement(pdf, doc.size)
	if err := doc.addFields(inc, req); err != nil {
		return nil, err
	}
	doc.requireVersion(pdf)
	return inc.finish(ctx, doc, req)
}

// document is the parsed state of the file being signed.
type document struct {
	ctx      *model.Context
	size     int                // trailer /Size: the next free object number
	prev     int64              // offset of the last cross-reference section
	root     types.IndirectRef  // the catalog
	catalog  types.Dict         // a copy, changed in place when the update touches it
	acroForm types.Dict         // the interactive form (a copy; nil when absent)
	formRef  *types.IndirectRef // where acroForm lives, nil when new or direct in the catalog
	fields   map[string]types.IndirectRef
	created  map[string]types.Dict // fields created by this update
	signed   map[string]bool
	dirty    map[string]bool // which of catalog / acroForm the update changes
}

func openDocument(pdf []byte) (*document, error) {
	prev, err := lastXRefOffset(pdf)
	if err != nil {
		return nil, err
	}
	if !bytes.HasPrefix(pdf[prev:], []byte("xref")) {
		return nil, ErrXRefStream
	}
	ctx, _, err := parseBlanked(context.Background(), pdf)
	if err != nil {
		return nil, fmt.Errorf("pdfsign: read PDF: %w", err)
	}
	if err := ctx.EnsurePageCount(); err != nil {
		return nil, fmt.Errorf("pdfsign: page tree: %w", err)
	}
	x := ctx.XRefTable
	if x.Root == nil || x.Size == nil {
		return nil, errors.New("pdfsign: the trailer has no /Root or /Size")
	}
	catalog, err := x.Catalog()
	if err != nil {
		return nil, fmt.Errorf("pdfsign: catalog: %w", err)
	}
	d := &document{ctx: ctx, size: *x.Size, prev: prev, root: *x.Root, catalog: catalog.Clone().(types.Dict),
		fields: map[string]types.IndirectRef{}, created: map[string]types.Dict{}, signed: map[string]bool{}, dirty: map[string]bool{}}
	if err := d.readForm(); err != nil {
		return nil, err
	}
	return d, nil
}

// readForm finds the interactive form and its signature fields.
func (d *document) readForm() error {
	obj, ok := d.catalog.Find("AcroForm")
	if !ok {
		return nil
	}
	if ref, isRef := obj.(types.IndirectRef); isRef {
		d.formRef = &ref
	}
	form, err := d.ctx.DereferenceDict(obj)
	if err != nil || form == nil {
		return fmt.Errorf("pdfsign: AcroForm: %v", err)
	}
	d.acroForm = form.Clone().(types.Dict)
	fields, _ := d.ctx.DereferenceArray(d.acroForm["Fields"])
	for _, f := range fields {
		ref, ok := f.(types.IndirectRef)
		if !ok {
			continue
		}
		fd, err := d.ctx.DereferenceDict(ref)
		if err != nil || fd == nil {
			continue
		}
		name, err := d.ctx.DereferenceStringOrHexLiteral(fd["T"], model.V10, nil)
		if err != nil || name == "" {
			continue
		}
		d.fields[name] = ref
		if ft, _ := fd["FT"].(types.Name); ft == "Sig" && fd["V"] != nil {
			d.signed[name] = true
		}
	}
	return nil
}

// hasSignatures reports whether any field already holds a signature.
func (d *document) hasSignatures() bool { return len(d.signed) > 0 }

// addFields writes the new empty fields (and the field to sign, when it is new) into inc,
// adding them to their pages and to the form.
func (d *document) addFields(inc *increment, req Request) error {
	if req.Certify && d.hasSignatures() {
		return ErrCertifyLate
	}
	byPage := map[int][]types.IndirectRef{}
	var added []types.Object
	for _, f := range req.NewFields {
		if _, dup := d.fields[f.Name]; dup || f.Name == "" {
			return fmt.Errorf("%w: %q", ErrFieldExists, f.Name)
		}
		_, pageRef, _, err := d.ctx.PageDict(f.Page, false)
		if err != nil || pageRef == nil {
			return fmt.Errorf("pdfsign: field %q: no page %d: %v", f.Name, f.Page, err)
		}
		ap := inc.blankAppearance(f.Rect)
		widget := types.Dict{
			"Type": types.Name("Annot"), "Subtype": types.Name("Widget"), "FT": types.Name("Sig"),
			"T": textString(f.Name), "F": types.Integer(132), "P": *pageRef,
			"Rect": types.NewNumberArray(f.Rect.X1, f.Rect.Y1, f.Rect.X2, f.Rect.Y2),
			"AP":   types.Dict{"N": ap},
		}
		ref := inc.reserve()
		inc.put(ref, widget.PDFString())
		d.fields[f.Name] = ref
		d.created[f.Name] = widget
		byPage[f.Page] = append(byPage[f.Page], ref)
		added = append(added, ref)
	}
	if _, ok := d.fields[req.Field]; !ok {
		return fmt.Errorf("%w: %q", ErrNoField, req.Field)
	}
	if d.signed[req.Field] {
		return fmt.Errorf("%w: %q", ErrFieldSigned, req.Field)
	}
	for page, refs := range byPage {
		if err := d.addAnnots(inc, page, refs); err != nil {
			return err
		}
	}
	if len(added) > 0 {
		if d.acroForm == nil {
			d.acroForm = types.Dict{"Fields": types.Array{}}
		}
		fields, _ := d.ctx.DereferenceArray(d.acroForm["Fields"])
		d.acroForm["Fields"] = append(append(types.Array{}, fields...), added...)
		d.dirty["form"] = true
	}
	return nil
}

// addAnnots appends widget annotations to a page's /Annots, rewriting the page (or its
// indirect annotation array).
func (d *document) addAnnots(inc *increment, page int, refs []types.IndirectRef) error {
	pageDict, pageRef, _, err := d.ctx.PageDict(page, false)
	if err != nil {
		return err
	}
	pageDict = pageDict.Clone().(types.Dict)
	var list types.Array
	if obj, ok := pageDict.Find("Annots"); ok {
		if list, err = d.ctx.DereferenceArray(obj); err != nil {
			return err
		}
		list = append(types.Array{}, list...)
		if arrRef, isRef := obj.(types.IndirectRef); isRef {
			for _, r := range refs {
				list = append(list, r)
			}
			inc.put(arrRef, list.PDFString())
			return nil
		}
	}
	for _, r := range refs {
		list = append(list, r)
	}
	pageDict["Annots"] = list
	inc.put(*pageRef, pageDict.PDFString())
	return nil
}

// textString encodes a PDF text string: a literal when plain ASCII, UTF-16BE otherwise.
func textString(s string) types.Object {
	ascii := true
	for _, r := range s {
		if r < 0x20 || r > 0x7e {
			ascii = false
			break
		}
	}
	if ascii {
		r := strings.NewReplacer(`\`, `\\`, `(`, `\(`, `)`, `\)`)
		return types.StringLiteral(r.Replace(s))
	}
	return types.HexLiteral(fmt.Sprintf("%X", []byte(types.EncodeUTF16String(s))))
}

// pdfDate formats t as a PDF date string, D:YYYYMMDDHHmmSS+HH'mm'.
func pdfDate(t time.Time) string {
	_, off := t.Zone()
	sign := '+'
	if off < 0 {
		sign, off = '-', -off
	}
	return fmt.Sprintf("D:%s%c%02d'%02d'", t.Format("20060102150405"), sign, off/3600, off%3600/60)
}

// pdfVersion is the version the signed file declares: PAdES signatures (ETSI.CAdES.detached,
// DocMDP, the DSS) and the image soft masks belong to PDF 1.7 with the ETSI extensions.
const pdfVersion = "1.7"

// requireVersion makes the catalog declare pdfVersion when neither the header nor the catalog
// says as much (an incremental update cannot change the header, so the catalog's /Version,
// which takes precedence when later, carries it).
func (d *document) requireVersion(pdf []byte) {
	header := ""
	if len(pdf) >= 8 && bytes.HasPrefix(pdf, []byte("%PDF-")) {
		header = string(pdf[5:8])
	}
	catalog, _ := d.catalog["Version"].(types.Name)
	if header >= pdfVersion || string(catalog) >= pdfVersion {
		return
	}
	d.catalog["Version"] = types.Name(pdfVersion)
	d.dirty["catalog"] = true
}
