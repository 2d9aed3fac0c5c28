package pdfsign

import (
	"bytes"

	"github.com/pdfcpu/pdfcpu/pkg/api"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/model"
	"github.com/pdfcpu/pdfcpu/pkg/pdfcpu/types"
)

// signaturesOnlyAfter reports whether everything written to the file after offset end only
// adds or fills signature fields — the changes a certification with P=2 allows for signing:
// signature values, signature fields and their widgets, appearance streams, the form's field
// list, the catalog's /AcroForm and /Perms and the pages' /Annots (and a field's /TU, its name
// for people, which carries the signer's capacity). Any other object that is
// new or rewritten after end (a content stream, a font, a page's contents or resources, an
// annotation of another kind) means the document itself was changed.
func signaturesOnlyAfter(final *model.Context, pdf []byte, end int64) bool {
	before, err := api.ReadContext(bytes.NewReader(pdf[:end]), model.NewDefaultConfiguration())
	if err != nil || before.Size == nil {
		return false
	}
	for nr, entry := range final.Table {
		if entry == nil || entry.Free || nr == 0 {
			continue
		}
		off := entry.Offset
		if entry.Compressed && entry.ObjectStream != nil {
			if stream := final.Table[*entry.ObjectStream]; stream != nil {
				off = stream.Offset
			}
		}
		if off != nil && *off >= end {
			if !allowedChange(final, before, nr) {
				return false
			}
		}
	}
	return true
}

// allowedChange judges one object written after the signature.
func allowedChange(final, before *model.Context, nr int) bool {
	ref := *types.NewIndirectRef(nr, 0)
	now, err := final.Dereference(ref)
	if err != nil {
		return false
	}
	nowDict := dictOf(now)
	if nr >= *before.Size {
		// A new object: only signature material may appear.
		switch {
		case nowDict == nil:
			return false
		case isSignatureMaterial(nowDict):
			return true
		case nowDict["Fields"] != nil && nowDict["Type"] == nil:
			return true // a new interactive form
		}
		return false
	}
	old, err := before.Dereference(ref)
	if err != nil {
		return false
	}
	oldDict := dictOf(old)
	if oldDict == nil || nowDict == nil {
		return false
	}
	switch {
	case isSignatureField(oldDict) && oldDict["V"] == nil:
		// An empty signature field being signed: only its value and appearance change.
		return sameExcept(oldDict, nowDict, "V", "AP", "TU")
	case name(oldDict, "Type") == "Catalog":
		return sameExcept(oldDict, nowDict, "AcroForm", "Perms")
	case name(oldDict, "Type") == "Page":
		return sameExcept(oldDict, nowDict, "Annots") && onlySignatureWidgetsAdded(final, before, oldDict["Annots"], nowDict["Annots"])
	case oldDict["Fields"] != nil && oldDict["Type"] == nil:
		return sameExcept(oldDict, nowDict, "Fields", "SigFlags") && onlySignatureWidgetsAdded(final, before, oldDict["Fields"], nowDict["Fields"])
	}
	return false
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

// isSignatureMaterial: a signature value, a signature field or widget, or an XObject (an
// appearance stream or its image).
func isSignatureMaterial(d types.Dict) bool {
	return name(d, "Type") == "Sig" || isSignatureField(d) || name(d, "Type") == "XObject"
}

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

// onlySignatureWidgetsAdded: the new array keeps every old entry, and each added entry is a
// signature field or widget.
func onlySignatureWidgetsAdded(final, before *model.Context, oldObj, newObj types.Object) bool {
	oldArr, _ := before.DereferenceArray(oldObj)
	newArr, err := final.DereferenceArray(newObj)
	if err != nil {
		return false
	}
	kept := map[string]bool{}
	for _, o := range oldArr {
		kept[o.PDFString()] = true
	}
	for _, o := range newArr {
		if kept[o.PDFString()] {
			delete(kept, o.PDFString())
			continue
		}
		d, err := final.DereferenceDict(o)
		if err != nil || d == nil || !isSignatureField(d) {
			return false
		}
	}
	return len(kept) == 0
}
