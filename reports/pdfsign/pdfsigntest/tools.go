// Package pdfsigntest runs the real PDF tools tests check signed documents with: poppler's
// pdfsig, qpdf --check and an NSS certificate database made with certutil. A test skips when a
// tool is missing, or fails when PANTAU_TEST_REQUIRE_TOOLS=1 (make test installs them).
package pdfsigntest

import (
	"bytes"
	"crypto/x509"
	"encoding/pem"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Tool returns the path of a command, skipping the test when it is not installed.
func Tool(tb testing.TB, name string) string {
	tb.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("PANTAU_TEST_REQUIRE_TOOLS") == "1" {
			tb.Fatalf("%s is not installed (scripts/deps.sh installs it)", name)
		}
		tb.Skipf("%s is not installed (scripts/deps.sh installs it)", name)
	}
	return p
}

// WriteTemp writes data to a file in the test's temporary directory and returns its path.
func WriteTemp(tb testing.TB, name string, data []byte) string {
	tb.Helper()
	p := filepath.Join(tb.TempDir(), name)
	if err := os.WriteFile(p, data, 0o600); err != nil {
		tb.Fatal(err)
	}
	return p
}

// QPDFCheck fails the test unless qpdf --check finds the file sound.
func QPDFCheck(tb testing.TB, pdf []byte) {
	tb.Helper()
	out, err := exec.Command(Tool(tb, "qpdf"), "--check", WriteTemp(tb, "check.pdf", pdf)).CombinedOutput()
	if err != nil || !bytes.Contains(out, []byte("No syntax or stream encoding errors found")) {
		tb.Fatalf("qpdf --check: %v\n%s", err, out)
	}
}

// Signature is one signature as pdfsig reports it.
type Signature struct {
	SignerName    string
	SigningTime   string
	Validation    string // "Signature is Valid.", "Digest Mismatch.", …
	Certificate   string // "Certificate is Trusted.", "Certificate issuer isn't Trusted.", …
	TotalDocument bool   // "Total document signed"
	Raw           string
}

var sigHeader = regexp.MustCompile(`(?m)^Signature #\d+:`)

// Pdfsig runs poppler's pdfsig on the file and parses its report on the signed fields. nssDir, when not empty, is
// the NSS database whose trust settings apply.
func Pdfsig(tb testing.TB, pdf []byte, nssDir string) (string, []Signature) {
	tb.Helper()
	args := []string{}
	if nssDir != "" {
		args = append(args, "-nssdir", "sql:"+nssDir)
	}
	args = append(args, WriteTemp(tb, "sig.pdf", pdf))
	out, _ := exec.Command(Tool(tb, "pdfsig"), args...).CombinedOutput()
	text := string(out)
	var sigs []Signature
	idx := sigHeader.FindAllStringIndex(text, -1)
	for i, at := range idx {
		end := len(text)
		if i+1 < len(idx) {
			end = idx[i+1][0]
		}
		block := text[at[0]:end]
		if strings.Contains(block, "is not signed") {
			continue // an empty signature field
		}
		s := Signature{Raw: block, TotalDocument: strings.Contains(block, "Total document signed")}
		for _, line := range strings.Split(block, "\n") {
			k, v, ok := strings.Cut(strings.TrimSpace(strings.TrimPrefix(strings.TrimSpace(line), "- ")), ": ")
			if !ok {
				continue
			}
			switch k {
			case "Signer Certificate Common Name":
				s.SignerName = v
			case "Signing Time":
				s.SigningTime = v
			case "Signature Validation":
				s.Validation = v
			case "Certificate Validation":
				s.Certificate = v
			}
		}
		sigs = append(sigs, s)
	}
	return text, sigs
}

// NSSDB creates an NSS certificate database that trusts the given CA certificates for
// signing, and returns its directory.
func NSSDB(tb testing.TB, cas ...*x509.Certificate) string {
	tb.Helper()
	certutil := Tool(tb, "certutil")
	dir := tb.TempDir()
	if out, err := exec.Command(certutil, "-N", "-d", "sql:"+dir, "--empty-password").CombinedOutput(); err != nil {
		tb.Fatalf("certutil -N: %v\n%s", err, out)
	}
	for i, ca := range cas {
		pemFile := WriteTemp(tb, "ca.pem", pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: ca.Raw}))
		nick := "pantau-ca-" + string(rune('a'+i))
		if out, err := exec.Command(certutil, "-A", "-d", "sql:"+dir, "-n", nick, "-t", "CT,C,C", "-i", pemFile).CombinedOutput(); err != nil {
			tb.Fatalf("certutil -A: %v\n%s", err, out)
		}
	}
	return dir
}

func containsFold(s, sub string) bool {
	return strings.Contains(strings.ToLower(s), strings.ToLower(sub))
}

// subsetFontLine is a pdffonts line of an embedded, tagged subset: its name starts with six
// capital letters and "+", and the emb and sub columns say yes.
var subsetFontLine = regexp.MustCompile(`^[A-Z]{6}\+\S+\s+.*\byes\s+yes\s+(yes|no)\s+\d+\s+\d+\s*$`)

// SoundFonts fails the test unless pdfinfo says the file is PDF 1.7 and pdffonts lists at least
// one font, each an embedded subset carrying a subset tag.
func SoundFonts(tb testing.TB, pdf []byte) {
	tb.Helper()
	info, err := exec.Command(Tool(tb, "pdfinfo"), WriteTemp(tb, "info.pdf", pdf)).CombinedOutput()
	if err != nil || !regexp.MustCompile(`PDF version:\s+1\.7\n`).Match(info) {
		tb.Fatalf("pdfinfo (%v):\n%s", err, info)
	}
	out, err := exec.Command(Tool(tb, "pdffonts"), WriteTemp(tb, "fonts.pdf", pdf)).CombinedOutput()
	lines := strings.Split(strings.TrimSpace(string(out)), "\n")
	if err != nil || len(lines) < 3 {
		tb.Fatalf("pdffonts (%v):\n%s", err, out)
	}
	for _, l := range lines[2:] {
		if !subsetFontLine.MatchString(l) {
			tb.Errorf("not an embedded, tagged subset: %q", l)
		}
	}
}
