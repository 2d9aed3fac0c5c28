package backup

import "testing"

// TestEntryNamesStayInPlace refuses archive entries that would write outside their store
// or secret.
func TestEntryNamesStayInPlace(t *testing.T) {
	sha := "0c5b0e7e1f0f6ad3d6b3f5ad6c2c1a8a3f5e6d7c8b9a0f1e2d3c4b5a69788766"
	if store, got, err := parseFileEntry(fileEntry("evidence", sha)); err != nil || store != "evidence" || got != sha {
		t.Fatalf("a sound file entry: %s %s %v", store, got, err)
	}
	if name, rel, err := parseSecretEntry(secretEntry("ca", "ca-key.pem")); err != nil || name != "ca" || rel != "ca-key.pem" {
		t.Fatalf("a sound secret entry: %s %s %v", name, rel, err)
	}
	for _, bad := range []string{"files/evidence/../" + sha, "files/../x/" + sha[:2] + "/" + sha, "files/evidence/aa/" + sha, "files/evidence/0c/" + sha + "/x"} {
		if _, _, err := parseFileEntry(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
	for _, bad := range []string{"secrets/../../etc/passwd", "secrets/ca/../x", "secrets/ca/.hidden", "secrets", "files/ca/x"} {
		if _, _, err := parseSecretEntry(bad); err == nil {
			t.Errorf("%s accepted", bad)
		}
	}
}
