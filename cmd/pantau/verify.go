package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// signing opens (creating on first start) the installation's certificate authority and the
// store of commitment documents under the data directory.
func (c *config) signing(db *models.DB) (*models.Signing, error) {
	ca, err := models.OpenCA(c.CADir, "Pantau", db.Now())
	if err != nil {
		return nil, fmt.Errorf("certificate authority in %s: %w", c.CADir, err)
	}
	return &models.Signing{CA: ca, Documents: &models.BlobStore{Dir: filepath.Join(c.DataDir, "documents"), MaxSize: 64 << 20}}, nil
}

// caFiles collects repeated --ca flags.
type caFiles []string

func (f *caFiles) String() string     { return strings.Join(*f, ",") }
func (f *caFiles) Set(v string) error { *f = append(*f, v); return nil }

// errNotValid makes the command exit 1 after the report has said why.
var errNotValid = errors.New("the document is NOT valid")

// verify checks every digital signature of a PDF and prints, for each, the signer, capacity,
// time, whether it is valid, and what changed in the file after it. It trusts the
// installation's CA (PANTAU_CA_DIR, default DATA_DIR/ca) and any --ca certificates.
func verify(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	var extra caFiles
	fs := newFlags("verify", "Check the digital signatures of a signed PDF (e.g. a commitment). Exits 0 only when every\n"+
		"signature is valid and nothing was changed after the last one.\n\nUsage: pantau verify [flags] FILE.pdf", stderr)
	cfg.dbFlags(fs, getenv)
	fs.Var(&extra, "ca", "also trust this CA certificate (PEM file), e.g. a national CA's root; may be repeated")
	if len(args) > 0 && !strings.HasPrefix(args[0], "-") {
		args = append(args[1:], args[0]) // allow the file before the flags
	}
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() != 1 {
		fmt.Fprintln(stderr, "usage: pantau verify [--ca FILE] FILE.pdf")
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	roots, err := verifyRoots(cfg.CADir, extra)
	if err != nil {
		return err
	}
	rep := documents.VerifySignatures(data, roots)
	printReport(stdout, filepath.Base(file), rep, roots.Names())
	if !rep.Valid() {
		return errNotValid
	}
	return nil
}

// verifyRoots trusts the installation's CA certificate (when there is one) and the extra ones.
func verifyRoots(caDir string, extra []string) (*documents.Roots, error) {
	roots, err := documents.InstallationRoots(caDir)
	if err != nil {
		return nil, err
	}
	for _, f := range extra {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, err
		}
		if err := roots.AddPEM(b); err != nil {
			return nil, fmt.Errorf("%s: %w", f, err)
		}
	}
	return roots, nil
}

var changeWords = map[string]string{
	pdfsign.ChangedNothing:        "nothing (it covers the whole file)",
	pdfsign.ChangedSignaturesOnly: "only later signatures were added",
	pdfsign.ChangedOther:          "CHANGED by something other than a later signature",
}

func printReport(w io.Writer, name string, rep *pdfsign.Report, trusted []string) {
	if rep.Problem != "" {
		fmt.Fprintf(w, "%s: %s\n", name, rep.Problem)
	}
	fmt.Fprintf(w, "%s: %d signature(s)\n", name, len(rep.Signatures))
	if len(trusted) == 0 {
		fmt.Fprintln(w, "(no trusted certificate authority: set PANTAU_CA_DIR or pass --ca)")
	}
	for i := range rep.Signatures {
		s := &rep.Signatures[i]
		fmt.Fprintf(w, "\n%d. %s — %s", i+1, s.Field, s.Name)
		if s.Reason != "" {
			fmt.Fprintf(w, " (%s)", s.Reason)
		}
		fmt.Fprintln(w)
		if s.Label != "" {
			fmt.Fprintf(w, "   capacity:    %s\n", s.Label)
		}
		if !s.Time.IsZero() {
			fmt.Fprintf(w, "   time:        %s\n", s.Time.In(models.WIB).Format("2006-01-02 15:04:05 MST"))
		}
		if s.Certificate != nil {
			fmt.Fprintf(w, "   certificate: %s, issued by %s\n", s.Certificate.Subject.CommonName, s.Certificate.Issuer.CommonName)
		}
		if s.Certified {
			fmt.Fprintln(w, "   certifies the document: only signatures may follow")
		}
		state := "VALID"
		if !s.Valid() {
			state = "NOT VALID"
		}
		detail := []string{}
		if s.Intact {
			detail = append(detail, "signed bytes intact")
		}
		if s.Trusted {
			detail = append(detail, "certificate trusted")
		}
		if s.Problem != "" {
			detail = append(detail, s.Problem)
		}
		fmt.Fprintf(w, "   signature:   %s (%s)\n", state, strings.Join(detail, "; "))
		fmt.Fprintf(w, "   after it:    %s\n", changeWords[s.Changes])
	}
	fmt.Fprintln(w)
	switch {
	case rep.Valid():
		fmt.Fprintln(w, "Result: VALID — every signature is valid and nothing was changed after the last one.")
	case rep.ModifiedAfterSigning:
		fmt.Fprintln(w, "Result: NOT VALID — the file was modified after its last signature.")
	case len(rep.Signatures) == 0:
		fmt.Fprintln(w, "Result: NOT VALID — the file has no signatures.")
	default:
		fmt.Fprintln(w, "Result: NOT VALID — at least one signature is not valid.")
	}
}
