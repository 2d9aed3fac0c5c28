// Package deploy holds what runs Pantau in production: the container image's Containerfile
// (built by `make image`), a compose file and a systemd unit. Its test checks that they agree
// with each other and with the build, without building or running anything heavy.
package deploy

import (
	"os"
	"os/exec"
	"regexp"
	"strings"
	"testing"
)

func read(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestImageRecipe: the image is FROM scratch, runs the binary as a numeric non-root user with the
// data directory on a volume, and everything it copies is put in the build context by
// scripts/image.sh, which `make image` runs and which builds the binary static.
func TestImageRecipe(t *testing.T) {
	cf := read(t, "Containerfile")
	script := read(t, "../scripts/image.sh")
	for _, want := range []string{"\nFROM scratch\n", "\nUSER 65532:65532\n", "ENV PANTAU_DATA_DIR=/data", "\nVOLUME /data\n",
		"\nENTRYPOINT [\"/pantau\"]\n", "COPY ca-certificates.crt /etc/ssl/certs/ca-certificates.crt"} {
		if !strings.Contains(cf, want) {
			t.Errorf("Containerfile lacks %q", want)
		}
	}
	if n := strings.Count(cf, "\nFROM "); n != 1 {
		t.Errorf("Containerfile has %d FROM lines; one, FROM scratch, downloads nothing", n)
	}
	for _, m := range regexp.MustCompile(`(?m)^COPY (?:--\S+ )*(\S+) `).FindAllStringSubmatch(cf, -1) {
		name := regexp.QuoteMeta(m[1])
		if !regexp.MustCompile(`"\$ctx/` + name + `"|` + name + ` "\$ctx/"`).MatchString(script) {
			t.Errorf("Containerfile copies %s, which scripts/image.sh does not put in the context", m[1])
		}
	}
	for _, want := range []string{"CGO_ENABLED=0 go build", "-f deploy/Containerfile", "cp /etc/ssl/certs/ca-certificates.crt"} {
		if !strings.Contains(script, want) {
			t.Errorf("scripts/image.sh lacks %q", want)
		}
	}
	if !regexp.MustCompile(`(?m)^image:.*\n\t.*scripts/image\.sh`).MatchString(read(t, "../Makefile")) {
		t.Error("the Makefile has no image target running scripts/image.sh")
	}
}

// TestStaticBuild: every package of the binary builds without cgo, and the SQLite driver is the
// pure-Go one, so the FROM-scratch image needs no C library.
func TestStaticBuild(t *testing.T) {
	cmd := exec.Command("go", "list", "-e", "-deps", "-f", "{{.ImportPath}} {{with .Error}}ERROR {{.}}{{end}}", "../cmd/pantau")
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("go list: %v\n%s", err, out)
	}
	list := string(out)
	if strings.Contains(list, "ERROR") {
		t.Fatalf("packages that do not build with CGO_ENABLED=0:\n%s", list)
	}
	if !strings.Contains(list, "github.com/libtnb/sqlite ") || !strings.Contains(list, "modernc.org/sqlite/lib ") || strings.Contains(list, "mattn/go-sqlite3") {
		t.Fatal("the SQLite driver is not the pure-Go modernc.org/sqlite (SQLite translated to Go) under GORM's libtnb/sqlite")
	}
}

// TestComposeKeepsSecretsOut: every secret-bearing variable of compose.yaml is a _FILE naming a
// compose secret, whose file lives under secrets/ (ignored by git), and the Pantau service runs
// read-only as the image's user.
func TestComposeKeepsSecretsOut(t *testing.T) {
	c := read(t, "compose.yaml")
	secret := regexp.MustCompile(`PASSWORD|SECRET|TOKEN|ACCESS_KEY|DATABASE_URL`)
	for _, m := range regexp.MustCompile(`(?m)^\s+([A-Z][A-Z0-9_]+): *(.*)$`).FindAllStringSubmatch(c, -1) {
		if secret.MatchString(m[1]) && (!strings.HasSuffix(m[1], "_FILE") || !strings.HasPrefix(m[2], "/run/secrets/")) {
			t.Errorf("compose.yaml sets %s to %q: secrets come from files (NAME_FILE: /run/secrets/…)", m[1], m[2])
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^\s+file: (\S+)`).FindAllStringSubmatch(c, -1) {
		if !strings.HasPrefix(m[1], "secrets/") {
			t.Errorf("compose secret file %s is outside secrets/", m[1])
		}
	}
	if !strings.Contains(read(t, "../.gitignore"), "/deploy/secrets/") {
		t.Error(".gitignore does not keep deploy/secrets/ out")
	}
	for _, want := range []string{"read_only: true", `user: "65532:65532"`, "PANTAU_S3_ENDPOINT:", "env_file: pantau.env"} {
		if !strings.Contains(c, want) {
			t.Errorf("compose.yaml lacks %q", want)
		}
	}
}

// TestUnitIsSandboxed: the systemd unit keeps the sandboxing options it was checked with
// (systemd-analyze security: exposure 1.2).
func TestUnitIsSandboxed(t *testing.T) {
	u := read(t, "pantau.service")
	for _, want := range []string{"DynamicUser=yes", "StateDirectory=pantau", "ReadWritePaths=/var/lib/pantau", "Environment=PANTAU_DATA_DIR=/var/lib/pantau",
		"NoNewPrivileges=yes", "CapabilityBoundingSet=\n", "ProtectSystem=strict", "ProtectHome=yes", "PrivateTmp=yes", "PrivateDevices=yes",
		"SystemCallFilter=@system-service", "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX", "MemoryDenyWriteExecute=yes",
		"EnvironmentFile=/etc/pantau/pantau.env", "ExecStart=/usr/local/bin/pantau serve"} {
		if !strings.Contains(u, want) {
			t.Errorf("pantau.service lacks %q", want)
		}
	}
}
