package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestObjectStorageSettings: a malformed endpoint or one without a bucket stops the command
// with a clear message; the secret may come from a file; with the settings, evidence and
// documents go to the bucket under their own prefixes, and without them to the directories.
func TestObjectStorageSettings(t *testing.T) {
	dir := t.TempDir()
	for _, env := range []map[string]string{
		{"PANTAU_S3_ENDPOINT": "ftp://s3.example", "PANTAU_S3_BUCKET": "pantau", "PANTAU_DATA_DIR": dir},
		{"PANTAU_S3_ENDPOINT": "http://127.0.0.1:8333", "PANTAU_DATA_DIR": dir},
	} {
		code, _, errOut := cli(t, env, "", "serve")
		if code != 1 || !strings.Contains(errOut, "PANTAU_S3_ENDPOINT / PANTAU_S3_BUCKET") {
			t.Errorf("%v: exit %d, %q", env, code, errOut)
		}
	}

	secret := filepath.Join(dir, "s3-secret")
	os.WriteFile(secret, []byte("rahasia-s3\n"), 0o600)
	env := map[string]string{"PANTAU_S3_ENDPOINT": "s3.example.go.id", "PANTAU_S3_BUCKET": "pantau", "PANTAU_S3_SECRET_KEY_FILE": secret}
	cfg := config{DataDir: dir, MaxUploadMB: 20, S3Config: s3Settings(func(k string) string { return env[k] })}
	if err := cfg.validate(); err != nil {
		t.Fatal(err)
	}
	if cfg.S3Config.SecretKey != "rahasia-s3" {
		t.Fatalf("secret key %q", cfg.S3Config.SecretKey)
	}
	if got := cfg.blobs().String() + " " + cfg.documents().String(); got != "s3://pantau/evidence s3://pantau/documents" {
		t.Fatalf("stores: %s", got)
	}
	local := config{DataDir: dir, MaxUploadMB: 20}
	if err := local.validate(); err != nil {
		t.Fatal(err)
	}
	if b := local.blobs(); b.Remote != nil || b.Dir != filepath.Join(dir, "evidence") {
		t.Fatalf("without settings: %s", b)
	}
}
