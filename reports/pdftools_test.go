package reports

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Helpers that read PDFs back with real tools (poppler-utils, qpdf, zbar-tools; scripts/deps.sh
// installs them). A missing tool fails the test rather than skipping it.

func needTool(t testing.TB, name string) {
	t.Helper()
	if _, err := exec.LookPath(name); err != nil {
		t.Fatalf("%s is not installed (run scripts/deps.sh)", name)
	}
}

// writeTemp stores pdf in the test's directory and returns its path.
func writeTemp(t testing.TB, pdf []byte) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "report.pdf")
	if err := os.WriteFile(path, pdf, 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func runTool(t testing.TB, name string, args ...string) string {
	t.Helper()
	needTool(t, name)
	var out, errOut bytes.Buffer
	cmd := exec.Command(name, args...)
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		t.Fatalf("%s %v: %v\n%s%s", name, args, err, out.String(), errOut.String())
	}
	return out.String()
}

// qpdfCheck runs qpdf --check and fails on any warning or error.
func qpdfCheck(t testing.TB, path string) {
	t.Helper()
	out := runTool(t, "qpdf", "--check", path)
	if !strings.Contains(out, "No syntax or stream encoding errors found") || strings.Contains(strings.ToLower(out), "warning") {
		t.Fatalf("qpdf --check: %s", out)
	}
}

var pagesLine = regexp.MustCompile(`(?m)^Pages:\s+(\d+)`)

// pdfPages returns the page count pdfinfo reports.
func pdfPages(t testing.TB, path string) int {
	t.Helper()
	m := pagesLine.FindStringSubmatch(runTool(t, "pdfinfo", path))
	if m == nil {
		t.Fatal("pdfinfo: no page count")
	}
	n, _ := strconv.Atoi(m[1])
	return n
}

// pdfText returns the text of the PDF (optionally of pages first..last) with every run of
// white space made one space, so that wrapped sentences can be searched whole.
func pdfText(t testing.TB, path string, pages ...int) string {
	t.Helper()
	args := []string{"-enc", "UTF-8"}
	if len(pages) == 2 {
		args = append(args, "-f", strconv.Itoa(pages[0]), "-l", strconv.Itoa(pages[1]))
	}
	return strings.Join(strings.Fields(runTool(t, "pdftotext", append(args, path, "-")...)), " ")
}

// qrOnPage renders one page and returns what zbarimg decodes from it.
func qrOnPage(t testing.TB, path string, page int) string {
	t.Helper()
	dir := t.TempDir()
	const dpi = 150
	px := func(mm float64) string { return strconv.Itoa(int(mm * dpi / 25.4)) }
	// Only the footer's corner, where the QR code is, and only QR symbols: hatched zone
	// swatches elsewhere on the page can look like other barcodes to zbar.
	runTool(t, "pdftoppm", "-png", "-r", strconv.Itoa(dpi), "-f", strconv.Itoa(page), "-l", strconv.Itoa(page),
		"-x", px(pageW-marginX-23), "-y", px(footerTop-1), "-W", px(25), "-H", px(25), "-singlefile", path, filepath.Join(dir, "qr"))
	out := runTool(t, "zbarimg", "--quiet", "--raw", "-Sdisable", "-Sqrcode.enable", filepath.Join(dir, "qr.png"))
	return strings.TrimSpace(out)
}

// keepLook renders a report's first pages to PNG under /tmp/reports-look (outside the
// repository) for a person to look at, when PANTAU_REPORTS_LOOK is set.
func keepLook(t testing.TB, name string, pdf []byte, pages int) {
	t.Helper()
	if os.Getenv("PANTAU_REPORTS_LOOK") == "" {
		return
	}
	dir := "/tmp/reports-look"
	os.MkdirAll(dir, 0o755)
	path := filepath.Join(dir, name+".pdf")
	if err := os.WriteFile(path, pdf, 0o644); err != nil {
		t.Fatal(err)
	}
	runTool(t, "pdftoppm", "-png", "-r", "60", "-f", "1", "-l", strconv.Itoa(pages), path, filepath.Join(dir, name))
}

var wordBox = regexp.MustCompile(`<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>`)

// checkInsideMargins fails when any word pdftotext finds lies outside the page's side margins.
func checkInsideMargins(t testing.TB, path string) {
	t.Helper()
	const pt = 72 / 25.4
	lo, hi := marginX*pt-1, (pageW-marginX)*pt+1
	for _, m := range wordBox.FindAllStringSubmatch(runTool(t, "pdftotext", "-bbox", path, "-"), -1) {
		x0, _ := strconv.ParseFloat(m[1], 64)
		x1, _ := strconv.ParseFloat(m[3], 64)
		if x0 < lo || x1 > hi {
			t.Errorf("%q spans %.1f–%.1f pt, outside the margins %.1f–%.1f", m[5], x0, x1, lo, hi)
		}
	}
}
