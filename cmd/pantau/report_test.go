package main

import (
	"bytes"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

func pdfToText(t *testing.T, path string) string {
	t.Helper()
	out, err := exec.Command("pdftotext", "-enc", "UTF-8", path, "-").Output()
	if err != nil {
		t.Fatalf("pdftotext: %v", err)
	}
	return strings.Join(strings.Fields(string(out)), " ")
}

// pdfPages counts a PDF's pages with pdfinfo.
func pdfPages(t *testing.T, path string) int {
	t.Helper()
	out, err := exec.Command("pdfinfo", path).Output()
	if err != nil {
		t.Fatalf("pdfinfo: %v", err)
	}
	var n int
	for _, line := range strings.Split(string(out), "\n") {
		if rest, ok := strings.CutPrefix(line, "Pages:"); ok {
			fmt.Sscan(rest, &n)
		}
	}
	return n
}

// TestReportCommand writes the demo data's reports from the command line on both databases,
// with a letterhead and public address, and keeps an unchanged report.
func TestReportCommand(t *testing.T) {
	for name, env := range envs(t) {
		t.Run(name, func(t *testing.T) {
			env["PANTAU_DEMO_PASSWORD"] = "kata-sandi-demo"
			env["PANTAU_PUBLIC_URL"] = "https://pantau.kalteng.example/"
			if code, _, errOut := cli(t, env, "", "seed", "--demo"); code != 0 {
				t.Fatalf("seed: %s", errOut)
			}
			logo := filepath.Join(t.TempDir(), "logo.png")
			img := image.NewRGBA(image.Rect(0, 0, 40, 48))
			for i := range img.Pix {
				img.Pix[i] = 200
			}
			img.Set(3, 3, color.RGBA{200, 0, 0, 255})
			var buf bytes.Buffer
			png.Encode(&buf, img)
			os.WriteFile(logo, buf.Bytes(), 0o600)
			code, out, errOut := cli(t, env, "", "report", "letterhead", "--government", "PEMERINTAH PROVINSI KALIMANTAN TENGAH",
				"--institution", "DINAS PENANAMAN MODAL DAN PTSP", "--address", "Jl. Tjilik Riwut Km. 5, Palangka Raya", "--logo", logo)
			if code != 0 || !strings.Contains(out, "letterhead set") {
				t.Fatalf("letterhead: %d %q %q", code, out, errOut)
			}

			pdf := filepath.Join(t.TempDir(), "laporan.pdf")
			code, out, errOut = cli(t, env, "", "report", "progress", "--year", "2019", "--province", "62", "-o", pdf)
			m := regexp.MustCompile(`wrote \S+: (\d+) pages, \d+ bytes, verification code (\S+) \(generated`).FindStringSubmatch(out)
			if code != 0 || m == nil {
				t.Fatalf("report progress: %d %q %q", code, out, errOut)
			}
			if !strings.Contains(errOut, "15/15 Pemda") {
				t.Errorf("no progress bar: %q", errOut)
			}
			text := pdfToText(t, pdf)
			for _, want := range []string{"DINAS PENANAMAN MODAL DAN PTSP", "Jl. Tjilik Riwut Km. 5", "Kabupaten Seruyan", "Kota Palangka Raya",
				"https://pantau.kalteng.example/verify/" + m[2], "Pantau (baris perintah)", "Halaman 1 dari " + m[1]} {
				if !strings.Contains(text, want) {
					t.Errorf("report lacks %q", want)
				}
			}
			code, out, _ = cli(t, env, "", "report", "progress", "--year", "2019", "--province", "62", "-o", pdf)
			if code != 0 || !strings.Contains(out, m[2]) || !strings.Contains(out, "kept copy") {
				t.Errorf("unchanged report not kept: %q", out)
			}

			one := filepath.Join(t.TempDir(), "seruyan.pdf")
			if code, out, errOut := cli(t, env, "", "report", "progress", "--year", "2019", "--region", "62.08", "-o", one); code != 0 || strings.Contains(errOut, "Pemda") {
				t.Fatalf("region report: %d %q %q", code, out, errOut)
			}
			if text := pdfToText(t, one); !strings.Contains(text, "Kabupaten Seruyan, Provinsi Kalimantan Tengah") || strings.Contains(text, "Kabupaten Katingan") ||
				!strings.Contains(text, "Tren nilai terverifikasi") || !strings.Contains(text, "2018") {
				t.Errorf("region report text: %.400s", text)
			}

			national := filepath.Join(t.TempDir(), "nasional.pdf")
			if code, out, errOut := cli(t, env, "", "report", "progress", "--year", "2019", "-o", national); code != 0 || !strings.Contains(errOut, "2/2") {
				t.Fatalf("national report: %d %q %q", code, out, errOut)
			}
			text = pdfToText(t, national)
			for _, want := range []string{"Peringkat provinsi menurut rata-rata nilai terverifikasi", "Provinsi Kalimantan Utara", "Kota Tarakan", "Kabupaten Seruyan", "di dua provinsi"} {
				if !strings.Contains(text, want) {
					t.Errorf("the national report lacks %q", want)
				}
			}
			if pages := pdfPages(t, national); pages > 6 {
				t.Errorf("the national report has %d pages; it rolls the provinces up", pages)
			}

			if code, _, errOut := cli(t, env, "", "report", "progress", "--year", "2019"); code != 2 || !strings.Contains(errOut, "required") {
				t.Errorf("missing -o: %d %q", code, errOut)
			}
			if code, _, errOut := cli(t, env, "", "report", "progress", "--year", "2031", "-o", pdf); code != 1 || !strings.Contains(errOut, "no period 2031") {
				t.Errorf("unknown year: %d %q", code, errOut)
			}
			if code, _, _ := cli(t, env, "", "report", "frobnicate"); code != 2 {
				t.Errorf("unknown report: %d", code)
			}
		})
	}
}
