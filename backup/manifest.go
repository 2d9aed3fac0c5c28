// Package backup writes an installation's backup — every table's rows read in one consistent
// snapshot, every stored file the rows refer to, and the installation's secrets — as one zip
// archive with a manifest of SHA-256s, and restores such an archive into an empty
// installation on either database.
//
// The rows are kept database-neutrally, as JSON lines per table in dependency order, so a
// backup of the embedded SQLite database restores into PostgreSQL. Nothing is held in memory
// whole: rows and files are streamed into and out of the archive.
package backup

import (
	"fmt"
	"github.com/pantau-id/pantau/models"
	"path"
	"regexp"
	"strings"
)

// Format names the archive layout; a restore refuses any other.
const Format = "pantau-backup/1"

// manifestName is the archive entry holding the manifest; it is written last.
const manifestName = "manifest.json"

// Manifest describes a backup: what wrote it, the schema its rows follow, and every other
// entry of the archive with its SHA-256 and size.
type Manifest struct {
	Format        string `json:"format"`
	PantauVersion string `json:"pantau_version"`
	// SchemaVersion is the number of the last migration the database had applied.
	SchemaVersion int    `json:"schema_version"`
	Database      string `json:"database"`
	CreatedAt     string `json:"created_at"`
	// Tables are in dependency order: a table comes after those its rows refer to.
	Tables  []Table `json:"tables"`
	Entries []Entry `json:"entries"`
	// Missing names files the rows refer to that were in none of the stores.
	Missing []string `json:"missing,omitempty"`
}

// Rows counts the rows of every table.
func (m *Manifest) Rows() int64 {
	var n int64
	for _, t := range m.Tables {
		n += t.Rows
	}
	return n
}

// Table is one table's rows in the archive.
type Table struct {
	Name    string   `json:"name"`
	Entry   string   `json:"entry"`
	Columns []Column `json:"columns"`
	Rows    int64    `json:"rows"`
	// Sequence is the highest id the table's id sequence had handed out (0: none or no
	// sequence), so a restored installation never hands out an id again.
	Sequence int64 `json:"sequence,omitempty"`
}

// Column is a column's name and its database-neutral kind.
type Column struct {
	Name string `json:"name"`
	Kind Kind   `json:"kind"`
}

// Entry is one archive entry with the SHA-256 and size of its content.
type Entry struct {
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
	Size   int64  `json:"size"`
}

// Layout says where an installation keeps its files: content-addressed stores by name
// ("evidence", "documents") and secrets by name ("ca" a directory, "demo-logins.txt" a file).
// A backup and the restore of it name the same stores and secrets; the paths, and whether
// a store keeps its files in a directory or a bucket, may differ.
type Layout struct {
	Stores  []Store
	Secrets []Place
}

// Store is a named content-addressed store of an installation.
type Store struct {
	Name  string
	Blobs *models.BlobStore
}

// Place is a named directory or file of an installation.
type Place struct {
	Name string
	Path string
}

var (
	shaName   = regexp.MustCompile(`^[0-9a-f]{64}$`)
	plainName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9._-]*$`)
)

// tableEntry is where a table's rows are kept in the archive.
func tableEntry(table string) string { return "database/" + table + ".jsonl" }

// fileEntry is where a stored file is kept in the archive.
func fileEntry(store, sha string) string { return "files/" + store + "/" + sha[:2] + "/" + sha }

// secretEntry is where a secret (or a file inside a secret directory) is kept.
func secretEntry(name, rel string) string { return path.Join("secrets", name, rel) }

// parseFileEntry splits files/STORE/AB/SHA, refusing anything else.
func parseFileEntry(p string) (store, sha string, err error) {
	parts := strings.Split(p, "/")
	if len(parts) != 4 || parts[0] != "files" || !plainName.MatchString(parts[1]) || !shaName.MatchString(parts[3]) || parts[2] != parts[3][:2] {
		return "", "", fmt.Errorf("%s: not a stored file's entry", p)
	}
	return parts[1], parts[3], nil
}

// parseSecretEntry splits secrets/NAME[/REL…], refusing anything that could leave its place.
func parseSecretEntry(p string) (name, rel string, err error) {
	parts := strings.Split(p, "/")
	if len(parts) < 2 || parts[0] != "secrets" {
		return "", "", fmt.Errorf("%s: not a secret's entry", p)
	}
	for _, part := range parts[1:] {
		if !plainName.MatchString(part) {
			return "", "", fmt.Errorf("%s: not a secret's entry", p)
		}
	}
	return parts[1], path.Join(parts[2:]...), nil
}
