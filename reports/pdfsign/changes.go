package pdfsign

import (
	"bytes"
	"fmt"
	"sort"
	"strings"

	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// What may follow a signature. A certification signature with DocMDP P=2 allows filling in
// forms and signing; Pantau's documents have no form fields other than the signature fields,
// all created by the certifying signature, so after a signature the file may only gain:
//
//   - an existing, empty signature field filled with a signature value and its appearance
//     (and its /TU, the signer's capacity), in the update that the new signature itself covers;
//   - a Document Security Store (PAdES validation data) in the catalog;
//   - a document timestamp in a new invisible field of the form, in the update it covers;
//   - the catalog's /Version and /Extensions, and the form's /SigFlags;
//
// and new objects only where these hang them (signature values, appearance streams with
// their images and fonts, DSS streams). Anything else — a new annotation or widget (even an
// unsigned signature widget), a changed page, content stream, resource or form entry, a
// replaced catalog or information dictionary, a deleted object, a new object that nothing
// allowed refers to — is a change, and is reported as ChangedOther with what it was. A
// certification with P=1 allows no later signatures at all (validation data and document
// timestamps still may follow, as ISO 32000-2 says).

// judgeChanges sets each signature's Changes and the report's ModifiedAfterSigning by
// comparing the file's state at each signature's end with the state at the next.
func (v *verifier) judgeChanges(rep *Report, fields []sigField) {
	size := int64(len(v.pdf))
	fillers := map[int64]map[int]bool{} // end of a signed range → the fields signed up to there
	mark := func(end int64, ref int) {
		if fillers[end] == nil {
			fillers[end] = map[int]bool{}
		}
		fillers[end][ref] = true
	}
	refByName := map[string]int{}
	for _, f := range fields {
		refByName[f.name] = f.ref
	}
	noSigningAfter := int64(-1) // the end of a certification with P=1
	for _, s := range rep.Signatures {
		mark(s.End, refByName[s.Field])
		if s.Certified && s.mdpP == 1 {
			noSigningAfter = s.End
		}
	}
	for _, t := range rep.DocumentTimestamps {
		mark(t.End, refByName[t.Field])
	}
	var bounds []int64
	for end := range fillers {
		if end > 0 && end <= size {
			bounds = append(bounds, end)
		}
	}
	if len(bounds) == 0 {
		return
	}
	sort.Slice(bounds, func(i, j int) bool { return bounds[i] < bounds[j] })
	if bounds[len(bounds)-1] != size {
		bounds = append(bounds, size)
	}
	// problem[i]: what changed, not allowed, between bounds[i-1] and bounds[i].
	problem := make([]string, len(bounds))
	prev, err := v.stateAt(bounds[0])
	for i := 1; i < len(bounds); i++ {
		next, nextErr := v.stateAt(bounds[i])
		switch {
		case err != nil:
			problem[i] = "the file up to a signature cannot be read: " + err.Error()
		case nextErr != nil:
			problem[i] = "the file after a signature cannot be read: " + nextErr.Error()
		default:
			d := diff{before: prev, after: next, from: bounds[i-1], fillers: fillers[bounds[i]], noSigning: noSigningAfter >= 0 && noSigningAfter <= bounds[i-1]}
			problem[i] = d.judge()
		}
		prev, err = next, nextErr
	}
	if n := len(bounds); n > 1 && problem[n-1] == "" {
		if xref, err := lastXRefOffset(v.pdf); (err != nil || xref < bounds[n-2]) && len(bytes.TrimSpace(v.pdf[bounds[n-2]:])) > 0 {
			problem[n-1] = "bytes that are no incremental update were appended"
		}
	}
	after := func(end int64) string {
		for i, b := range bounds {
			if b > end && problem[i] != "" {
				return problem[i]
			}
		}
		return ""
	}
	last := int64(0)
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		last = max(last, s.End)
		switch p := after(s.End); {
		case s.End == size:
			s.Changes = ChangedNothing
		case p != "":
			s.Changes, s.ChangeDetail = ChangedOther, p
		default:
			s.Changes = ChangedSignaturesOnly
		}
	}
	rep.ModifiedAfterSigning = last < size && after(last) != ""
}

// stateAt reads the file as it was when it ended at end.
func (v *verifier) stateAt(end int64) (*model.Context, error) {
	if end == int64(len(v.pdf)) {
		return v.final, nil
	}
	if v.parsed+end > maxParsedAll {
		return nil, errOverParse
	}
	v.parsed += end
	return readBounded(v.parseContext(), v.blanked[:end])
}

// blankSignatureValues returns a copy of the file in which every signature's /Contents hex
// string is written as an empty literal string padded with spaces, at the same offsets: the
// earlier states are read from it, sparing the parser tens of kilobytes of hex digits per
// signature. Only a gap that /ByteRange frames, that follows "/Contents" and that holds
// nothing but hex digits is blanked, so no object can hide in it.
func blankSignatureValues(pdf []byte, ranges [][4]int64) []byte {
	out := append([]byte(nil), pdf...)
	for _, br := range ranges {
		from, to := br[1], br[2]
		if from < 0 || to > int64(len(pdf)) || to-from < 2 || pdf[from] != '<' || pdf[to-1] != '>' ||
			!bytes.HasSuffix(bytes.TrimRight(pdf[max(0, from-32):from], " \t\r\n"), []byte("/Contents")) {
			continue
		}
		hexOnly := true
		for _, c := range pdf[from+1 : to-1] {
			if !strings.ContainsRune("0123456789abcdefABCDEF \t\r\n", rune(c)) {
				hexOnly = false
				break
			}
		}
		if hexOnly {
			out[from], out[from+1] = '(', ')'
			for i := from + 2; i < to; i++ {
				out[i] = ' '
			}
		}
	}
	return out
}

// diff judges what one stretch of incremental updates did.
type diff struct {
	before, after *model.Context
	from          int64        // where the stretch starts in the file
	fillers       map[int]bool // fields whose signatures cover exactly up to the stretch's end
	noSigning     bool         // a certification allowing no changes precedes the stretch
	roots         []types.Object
}

// judge returns what the stretch changed that is not allowed, or "".
func (d *diff) judge() string {
	if d.before.Root == nil || d.after.Root == nil || *d.before.Root != *d.after.Root {
		return "the document catalog was replaced"
	}
	if ref(d.before.Info) != ref(d.after.Info) {
		return "the document information dictionary was replaced"
	}
	if d.after.Encrypt != nil && (d.before.Encrypt == nil || *d.before.Encrypt != *d.after.Encrypt) {
		return "encryption was added"
	}
	added := map[int]bool{}
	nums := make([]int, 0, len(d.after.Table))
	for nr := range d.after.Table {
		nums = append(nums, nr)
	}
	sort.Ints(nums)
	for _, nr := range nums {
		e := d.after.Table[nr]
		if nr == 0 || e == nil {
			continue
		}
		old := d.before.Table[nr]
		existed := old != nil && !old.Free
		if e.Free {
			if existed {
				return fmt.Sprintf("object %d was deleted", nr)
			}
			continue
		}
		if !d.writtenInStretch(e) {
			continue
		}
		if !existed {
			added[nr] = true
			continue
		}
		if p := d.changed(nr); p != "" {
			return p
		}
	}
	reached := d.reachableNew(added)
	for _, nr := range sortedKeys(added) {
		if reached[nr] {
			continue
		}
		o, _ := d.after.Dereference(*types.NewIndirectRef(nr, 0))
		if t := name(dictOf(o), "Type"); t == "XRef" || t == "ObjStm" {
			continue // the update's own cross-reference or object stream
		}
		return fmt.Sprintf("%s (object %d) was added", describe(o), nr)
	}
	return ""
}

func ref(r *types.IndirectRef) string {
	if r == nil {
		return ""
	}
	return r.String()
}

func sortedKeys(m map[int]bool) []int {
	out := make([]int, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Ints(out)
	return out
}

// writtenInStretch: the object's current version was written after the stretch began.
func (d *diff) writtenInStretch(e *model.XRefTableEntry) bool {
	off := e.Offset
	if e.Compressed && e.ObjectStream != nil {
		if stream := d.after.Table[*e.ObjectStream]; stream != nil {
			off = stream.Offset
		}
	}
	return off != nil && *off >= d.from
}

// changed judges an existing object written again in the stretch.
func (d *diff) changed(nr int) string {
	r := *types.NewIndirectRef(nr, 0)
	o1, err1 := d.before.Dereference(r)
	o2, err2 := d.after.Dereference(r)
	if err1 != nil || err2 != nil {
		return fmt.Sprintf("object %d cannot be read", nr)
	}
	if _, isStream := o2.(types.StreamDict); isStream {
		return fmt.Sprintf("%s (object %d) was rewritten", describe(o1), nr)
	}
	formRef, fieldsRef := d.formRefs()
	if nr == fieldsRef {
		a1, _ := d.before.DereferenceArray(o1)
		a2, err := d.after.DereferenceArray(o2)
		if err != nil {
			return "the form's field list was replaced"
		}
		return d.fieldsGrew(a1, a2)
	}
	d1, d2 := dictOf(o1), dictOf(o2)
	if d1 == nil || d2 == nil {
		return fmt.Sprintf("%s (object %d) was changed", describe(o1), nr)
	}
	switch {
	case nr == d.before.Root.ObjectNumber.Value():
		return d.catalogChanged(d1, d2)
	case nr == formRef:
		return d.formChanged(d1, d2)
	case isSignatureField(d1) && d1["V"] == nil:
		return d.fieldFilled(nr, d1, d2)
	}
	return fmt.Sprintf("%s (object %d) was changed", describe(o1), nr)
}

// formRefs returns the object numbers of the form and of its field list, as they were before
// (0 when direct).
func (d *diff) formRefs() (form, fields int) {
	catalog, err := d.before.Catalog()
	if err != nil {
		return 0, 0
	}
	if r, ok := catalog["AcroForm"].(types.IndirectRef); ok {
		form = r.ObjectNumber.Value()
	}
	if f, err := d.before.DereferenceDict(catalog["AcroForm"]); err == nil && f != nil {
		if r, ok := f["Fields"].(types.IndirectRef); ok {
			fields = r.ObjectNumber.Value()
		}
	}
	return form, fields
}

func (d *diff) catalogChanged(c1, c2 types.Dict) string {
	if !sameExcept(c1, c2, "AcroForm", "DSS", "Version", "Extensions") {
		return "the document catalog was changed"
	}
	if c1["AcroForm"] != nil && c2["AcroForm"] != nil && c1["AcroForm"].PDFString() != c2["AcroForm"].PDFString() {
		f1, _ := d.before.DereferenceDict(c1["AcroForm"])
		f2, err := d.after.DereferenceDict(c2["AcroForm"])
		if err != nil || f1 == nil || f2 == nil {
			return "the form was replaced"
		}
		if p := d.formChanged(f1, f2); p != "" {
			return p
		}
		d.roots = append(d.roots, c2["AcroForm"])
	} else if (c1["AcroForm"] == nil) != (c2["AcroForm"] == nil) {
		return "the form was added or removed"
	}
	if c2["DSS"] != nil && (c1["DSS"] == nil || c1["DSS"].PDFString() != c2["DSS"].PDFString()) {
		d.roots = append(d.roots, c2["DSS"])
	}
	return ""
}

func (d *diff) formChanged(f1, f2 types.Dict) string {
	if !sameExcept(f1, f2, "Fields", "SigFlags") {
		return "the form's entries were changed"
	}
	if f1["Fields"].PDFString() == f2["Fields"].PDFString() {
		return ""
	}
	a1, _ := d.before.DereferenceArray(f1["Fields"])
	a2, err := d.after.DereferenceArray(f2["Fields"])
	if err != nil {
		return "the form's field list was replaced"
	}
	if r, ok := f2["Fields"].(types.IndirectRef); ok {
		d.roots = append(d.roots, r)
	}
	return d.fieldsGrew(a1, a2)
}

// fieldsGrew: the form's field list keeps every field and gains only document timestamps,
// each in an invisible field of its own that its timestamp covers.
func (d *diff) fieldsGrew(a1, a2 types.Array) string {
	kept := map[string]bool{}
	for _, o := range a1 {
		kept[o.PDFString()] = true
	}
	for _, o := range a2 {
		if kept[o.PDFString()] {
			delete(kept, o.PDFString())
			continue
		}
		r, isRef := o.(types.IndirectRef)
		f, err := d.after.DereferenceDict(o)
		if !isRef || err != nil || f == nil || !isSignatureField(f) || f["Kids"] != nil {
			return fmt.Sprintf("a form field (%s) was added", describe(f))
		}
		v, err := d.after.DereferenceDict(f["V"])
		rect, rectErr := fieldRect(f)
		if err != nil || v == nil || name(v, "Type") != "DocTimeStamp" || !d.fillers[r.ObjectNumber.Value()] || rectErr != nil || rect.width() != 0 || rect.height() != 0 {
			return fmt.Sprintf("a signature field (object %d) was added", r.ObjectNumber.Value())
		}
		d.roots = append(d.roots, r)
	}
	if len(kept) > 0 {
		return "a form field was removed"
	}
	return ""
}

// fieldFilled judges an empty signature field that got a value.
func (d *diff) fieldFilled(nr int, f1, f2 types.Dict) string {
	label, _ := d.before.DereferenceStringOrHexLiteral(f1["T"], model.V10, nil)
	if !d.fillers[nr] {
		return fmt.Sprintf("signature field %q was filled without a signature covering it", label)
	}
	if !sameExcept(f1, f2, "V", "AP", "TU") {
		return fmt.Sprintf("signature field %q was changed beyond its signature", label)
	}
	v, err := d.after.DereferenceDict(f2["V"])
	if err != nil || v == nil {
		return fmt.Sprintf("signature field %q has no signature value", label)
	}
	if name(v, "Type") == "Sig" && d.noSigning {
		return "a signature was added although the certification allows no changes"
	}
	d.roots = append(d.roots, f2["V"], f2["AP"])
	return ""
}

// reachableNew returns the new objects that the allowed changes refer to, directly or
// through other new objects.
func (d *diff) reachableNew(added map[int]bool) map[int]bool {
	seen := map[int]bool{}
	stack := append([]types.Object{}, d.roots...)
	for len(stack) > 0 {
		o := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		switch v := o.(type) {
		case types.IndirectRef:
			nr := v.ObjectNumber.Value()
			if !added[nr] || seen[nr] {
				continue
			}
			seen[nr] = true
			if obj, err := d.after.Dereference(v); err == nil && obj != nil {
				stack = append(stack, obj)
			}
		case types.Dict:
			for _, c := range v {
				stack = append(stack, c)
			}
		case types.StreamDict:
			for _, c := range v.Dict {
				stack = append(stack, c)
			}
		case types.Array:
			stack = append(stack, v...)
		}
	}
	return seen
}

// describe names an object for a change report.
func describe(o types.Object) string {
	d := dictOf(o)
	if d == nil {
		return "an object"
	}
	parts := []string{}
	if t := name(d, "Type"); t != "" {
		parts = append(parts, t)
	}
	if st := name(d, "Subtype"); st != "" {
		parts = append(parts, st)
	}
	if ft := name(d, "FT"); ft != "" {
		parts = append(parts, "field "+ft)
	}
	if _, isStream := o.(types.StreamDict); isStream {
		parts = append(parts, "stream")
	}
	if len(parts) == 0 {
		return "a dictionary"
	}
	return "a " + strings.Join(parts, " ")
}

func dictOf(o types.Object) types.Dict {
	switch v := o.(type) {
	case types.Dict:
		return v
	case types.StreamDict:
		return v.Dict
	}
	return nil
}

func name(d types.Dict, key string) string {
	n, _ := d[key].(types.Name)
	return string(n)
}

func isSignatureField(d types.Dict) bool { return name(d, "FT") == "Sig" }

// sameExcept compares two dictionaries, leaving out the given keys.
func sameExcept(a, b types.Dict, skip ...string) bool {
	strip := func(d types.Dict) string {
		c := types.Dict{}
		for k, v := range d {
			c[k] = v
		}
		for _, k := range skip {
			delete(c, k)
		}
		return c.PDFString()
	}
	return strip(a) == strip(b)
}
