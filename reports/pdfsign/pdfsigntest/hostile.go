package pdfsigntest

import (
	"bytes"
	"compress/zlib"
	"fmt"
	"strings"
)

// Hostile PDFs, for the bounds on what a verifier parses: each is small to send but costly to
// read naively, and each carries a signed signature field, so that a verifier gets as far as
// parsing it.

// pdfWriter writes numbered objects and a classic cross-reference table.
type pdfWriter struct {
	buf     bytes.Buffer
	offsets []int // offsets[i] is object i+1's
}

func newPDFWriter(version string) *pdfWriter {
	w := &pdfWriter{}
	w.buf.WriteString("%PDF-" + version + "\n%\xe2\xe3\xcf\xd3\n")
	return w
}

// add writes the next object and returns its number.
func (w *pdfWriter) add(body string) int {
	w.offsets = append(w.offsets, w.buf.Len())
	n := len(w.offsets)
	fmt.Fprintf(&w.buf, "%d 0 obj\n%s\nendobj\n", n, body)
	return n
}

// signedForm writes a catalog with one page and an AcroForm of fields signature fields, each
// with a signature value (with the extra entries given) whose /ByteRange claims the whole file;
// it returns the catalog's number.
func (w *pdfWriter) signedForm(fields int, extra string) int {
	first := len(w.offsets) + 1 // catalog, pages, page, then field and value pairs
	var refs []string
	for i := 0; i < fields; i++ {
		refs = append(refs, fmt.Sprintf("%d 0 R", first+3+2*i))
	}
	w.add(fmt.Sprintf("<< /Type /Catalog /Pages %d 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>", first+1, strings.Join(refs, " ")))
	w.add(fmt.Sprintf("<< /Type /Pages /Kids [%d 0 R] /Count 1 >>", first+2))
	w.add(fmt.Sprintf("<< /Type /Page /Parent %d 0 R /MediaBox [0 0 595 842] >>", first+1))
	for i := 0; i < fields; i++ {
		field := first + 3 + 2*i
		w.add(fmt.Sprintf("<< /FT /Sig /T (ttd%d) /V %d 0 R >>", i, field+1))
		w.add("<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 100 200 100] /Contents <3082> " + extra + " >>")
	}
	return first
}

// finish writes the cross-reference table and the trailer.
func (w *pdfWriter) finish(root int) []byte {
	xref := w.buf.Len()
	fmt.Fprintf(&w.buf, "xref\n0 %d\n0000000000 65535 f \n", len(w.offsets)+1)
	for _, off := range w.offsets {
		fmt.Fprintf(&w.buf, "%010d 00000 n \n", off)
	}
	fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R >>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets)+1, root, xref)
	return w.buf.Bytes()
}

// ManyObjects is a signed PDF padded to about size bytes with n small objects (the attack on
// the public file check: 190,000 objects in 18 MiB cost a naive parser seconds and gigabytes).
func ManyObjects(n, size int) []byte {
	w := newPDFWriter("1.7")
	root := w.signedForm(1, "")
	pad := max((size-20*n)/max(n, 1)-62, 0) // 62 bytes of object around the padding, 20 of cross-reference entry
	filler := "(" + strings.Repeat("x", pad) + ")"
	for i := 0; i < n; i++ {
		w.add("<< /Type /Filler /Items [1 2 3] /Pad " + filler + " >>")
	}
	return w.finish(root)
}

// ManySignatureFields is a PDF with n signed signature fields.
func ManySignatureFields(n int) []byte {
	w := newPDFWriter("1.7")
	return w.finish(w.signedForm(n, ""))
}

// ObjectStreamBomb is a signed PDF whose compressed object stream inflates to about inflated
// bytes: a few hundred KiB to send, hundreds of MiB for a reader that decodes it unbounded.
// Its cross-reference table is a stream (PDF 1.5), which points into the object stream.
func ObjectStreamBomb(inflated int) []byte {
	w := newPDFWriter("1.7")
	const bombed = 7 // after the form's five objects and the object stream; the signer's name
	root := w.signedForm(1, fmt.Sprintf("/Name %d 0 R", bombed))
	var z bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&z, zlib.BestCompression)
	head := fmt.Sprintf("%d 0 ", bombed)
	zw.Write([]byte(head))
	chunk := bytes.Repeat([]byte(" "), 1<<20)
	for left := inflated; left > 0; left -= len(chunk) {
		zw.Write(chunk[:min(len(chunk), left)])
	}
	zw.Write([]byte("(Bomb)"))
	zw.Close()
	stm := w.add(fmt.Sprintf("<< /Type /ObjStm /N 1 /First %d /Filter /FlateDecode /Length %d >>\nstream\n%s\nendstream",
		len(head), z.Len(), z.String()))
	// The cross-reference stream: 1-byte type, 4-byte offset or stream number, 2-byte index.
	entries := len(w.offsets) + 3 // object 0, the objects so far, the bombed object, the xref stream
	var rows bytes.Buffer
	row := func(typ byte, field2 int, field3 int) {
		rows.Write([]byte{typ, byte(field2 >> 24), byte(field2 >> 16), byte(field2 >> 8), byte(field2), byte(field3 >> 8), byte(field3)})
	}
	row(0, 0, 0xffff)
	for _, off := range w.offsets {
		row(1, off, 0)
	}
	row(2, stm, 0)
	xrefAt := w.buf.Len()
	row(1, xrefAt, 0)
	w.offsets = append(w.offsets, 0) // the bombed object lives in the stream
	w.add(fmt.Sprintf("<< /Type /XRef /Size %d /W [1 4 2] /Root %d 0 R /Length %d >>\nstream\n%s\nendstream",
		entries, root, rows.Len(), rows.String()))
	fmt.Fprintf(&w.buf, "startxref\n%d\n%%%%EOF\n", xrefAt)
	return w.buf.Bytes()
}

// SignedRevisions is a PDF of about size bytes with n small objects, followed by revisions
// incremental updates that each add a signature field whose value's /ByteRange ends where its
// update ends: a verifier that judges what changed after each signature reads the file as it
// was at each of those ends, so every revision costs it a parse of the n objects again. The
// signature values are not real CMS.
func SignedRevisions(n, size, revisions int) []byte {
	w := newPDFWriter("1.7")
	root := w.add("<< /Type /Catalog /Pages 2 0 R >>")
	w.add("<< /Type /Pages /Kids [3 0 R] /Count 1 >>")
	w.add("<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] >>")
	pad := max((size-20*n)/max(n, 1)-62, 0)
	filler := "(" + strings.Repeat("x", pad) + ")"
	for i := 0; i < n; i++ {
		w.add("<< /Type /Filler /Items [1 2 3] /Pad " + filler + " >>")
	}
	prev := w.buf.Len()
	w.finish(root)
	const placeholder = 40 // bytes kept for the /ByteRange numbers
	var fields []string
	for r := 0; r < revisions; r++ {
		field, value := len(w.offsets)+1, len(w.offsets)+2
		fields = append(fields, fmt.Sprintf("%d 0 R", field))
		w.add(fmt.Sprintf("<< /FT /Sig /T (ttd%d) /V %d 0 R >>", r, value))
		w.offsets = append(w.offsets, w.buf.Len())
		fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Type /Sig /Filter /Adobe.PPKLite /SubFilter /adbe.pkcs7.detached /ByteRange [0 ", value)
		rangeAt := w.buf.Len()
		w.buf.WriteString(strings.Repeat(" ", placeholder) + "] /Contents ")
		contentsAt := w.buf.Len()
		w.buf.WriteString("<" + strings.Repeat("0", 64) + ">")
		contentsEnd := w.buf.Len()
		w.buf.WriteString(" >>\nendobj\n")
		catalogAt := w.buf.Len()
		fmt.Fprintf(&w.buf, "%d 0 obj\n<< /Type /Catalog /Pages 2 0 R /AcroForm << /Fields [%s] /SigFlags 3 >> >>\nendobj\n", root, strings.Join(fields, " "))
		xref := w.buf.Len()
		fmt.Fprintf(&w.buf, "xref\n0 1\n0000000000 65535 f \n%d 1\n%010d 00000 n \n%d 2\n%010d 00000 n \n%010d 00000 n \n",
			root, catalogAt, field, w.offsets[field-1], w.offsets[value-1])
		fmt.Fprintf(&w.buf, "trailer\n<< /Size %d /Root %d 0 R /Prev %d >>\nstartxref\n%d\n%%%%EOF\n", len(w.offsets)+1, root, prev, xref)
		prev = xref
		numbers := fmt.Sprintf("%d %d %d", contentsAt, contentsEnd, w.buf.Len()-contentsEnd)
		copy(w.buf.Bytes()[rangeAt:], numbers)
	}
	return w.buf.Bytes()
}

// DeepNesting is a signed PDF whose signature value holds arrays nested depth deep: a parser
// that descends without a bound exhausts its stack.
func DeepNesting(depth int) []byte {
	w := newPDFWriter("1.7")
	return w.finish(w.signedForm(1, "/Prop_Build "+strings.Repeat("[", depth)+strings.Repeat("]", depth)))
}
