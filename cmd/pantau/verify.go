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
	"time"

	"github.com/pantau-id/pantau/documents"
	"github.com/pantau-id/pantau/models"
	"github.com/pantau-id/pantau/reports/pdfsign"
)

// signing opens (creating on first start) the installation's certificate authority, whose
// certificates name its OCSP responder and CRL under the public address, the store of
// commitment documents under the data directory, and the time-stamping authority.
func (c *config) signing(ctx context.Context, db *models.DB) (*models.Signing, error) {
	ca, err := models.OpenCA(c.CADir, "Pantau", db.Now())
	if err != nil {
		return nil, fmt.Errorf("certificate authority in %s: %w", c.CADir, err)
	}
	ca.OCSPURL, ca.CRLURL = c.PublicURL+"/api/v1/signing/ocsp", c.PublicURL+"/api/v1/signing/crl"
	sg := &models.Signing{CA: ca, Documents: c.documents()}
	switch c.TSAURL {
	case "":
	case "local":
		if sg.Timestamper, err = documents.OpenLocalTSA(ctx, db, ca, c.CADir); err != nil {
			return nil, fmt.Errorf("the installation's TSA in %s: %w", c.CADir, err)
		}
	default:
		sg.Timestamper = pdfsign.TSAClient{URL: c.TSAURL}
	}
	if c.TSACAFile != "" {
		b, err := os.ReadFile(c.TSACAFile)
		if err != nil {
			return nil, fmt.Errorf("PANTAU_TSA_CA_FILE: %w", err)
		}
		if sg.TimestampRoots, err = documents.ParsePEMCertificates(b); err != nil {
			return nil, fmt.Errorf("PANTAU_TSA_CA_FILE %s: %w", c.TSACAFile, err)
		}
	}
	return sg, nil
}

// documentsDir holds signed documents, drawn signatures and delegation scans.
func documentsDir(c *config) string { return filepath.Join(c.DataDir, "documents") }

// caFiles collects repeated --ca flags.
type caFiles []string

func (f *caFiles) String() string     { return strings.Join(*f, ",") }
func (f *caFiles) Set(v string) error { *f = append(*f, v); return nil }

// errNotValid makes the command exit 1 after the report has said why.
var errNotValid = errors.New("the document is NOT valid")

// verify checks every digital signature of a PDF and prints, for each, the signer, capacity,
// time, PAdES level, whether it is valid, and what changed in the file after it. It trusts the
// installation's CA (PANTAU_CA_DIR, default DATA_DIR/ca) and any --ca certificates for signers,
// and the installation's CA and the --tsa-ca certificates for timestamps.
func verify(_ context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var cfg config
	var extra caFiles
	fs := newFlags("verify", "Check the digital signatures of a signed PDF (e.g. a commitment). Exits 0 only when every\n"+
		"signature is valid and nothing was changed after the last one.\n\nUsage: pantau verify [flags] FILE.pdf", stderr)
	cfg.dbFlags(fs, getenv)
	cfg.tsaCAFlag(fs, getenv)
	fs.Var(&extra, "ca", "also trust this CA certificate (PEM file), e.g. a national CA's root; may be repeated")
	at := fs.String("at", "", "verify as of this time (RFC 3339, e.g. 2031-01-01T00:00:00Z) instead of now")
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
		fmt.Fprintln(stderr, "usage: pantau verify [--ca FILE] [--tsa-ca FILE] [--at TIME] FILE.pdf")
		return errUsage
	}
	if err := cfg.validate(); err != nil {
		return err
	}
	when := time.Now()
	if *at != "" {
		t, err := time.Parse(time.RFC3339, *at)
		if err != nil {
			return fmt.Errorf("--at: %q is not an RFC 3339 time", *at)
		}
		when = t
	}
	file := fs.Arg(0)
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	roots, err := verifyRoots(cfg.CADir, extra, cfg.TSACAFile)
	if err != nil {
		return err
	}
	rep := documents.VerifySignatures(data, roots, when)
	printReport(stdout, filepath.Base(file), rep, roots.Names())
	if !rep.Valid() {
		return errNotValid
	}
	return nil
}

// verifyRoots trusts the installation's CA certificate (when there is one) and the extra ones
// for signers, and the roots in tsaFile (when named) for timestamps.
func verifyRoots(caDir string, extra []string, tsaFile string) (*documents.Roots, error) {
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
	if tsaFile != "" {
		b, err := os.ReadFile(tsaFile)
		if err != nil {
			return nil, err
		}
		if err := roots.AddTSAPEM(b); err != nil {
			return nil, fmt.Errorf("%s: %w", tsaFile, err)
		}
	}
	return roots, nil
}

var changeWords = map[string]string{
	pdfsign.ChangedNothing:        "nothing (it covers the whole file)",
	pdfsign.ChangedSignaturesOnly: "only later signatures filling existing fields, validation data and timestamps",
	pdfsign.ChangedOther:          "CHANGED by something other than a later signature",
}

// trustWords are the three states of a signature.
var trustWords = map[string]string{
	pdfsign.TrustTrusted:   "VALID (signed bytes intact, signer trusted)",
	pdfsign.TrustUntrusted: "NOT TRUSTED (signed bytes intact, but the signer is not trusted)",
	pdfsign.TrustBroken:    "BROKEN (the signed bytes or the signature do not verify)",
}

func printReport(w io.Writer, name string, rep *pdfsign.Report, trusted []string) {
	if rep.Problem != "" {
		fmt.Fprintf(w, "%s: %s\n", name, rep.Problem)
	}
	fmt.Fprintf(w, "%s: %d signature(s), verified as of %s\n", name, len(rep.Signatures), rep.At.In(models.WIB).Format("2006-01-02 15:04:05 MST"))
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
			fmt.Fprintf(w, "   time:        %s (claimed by the signer)\n", s.Time.In(models.WIB).Format("2006-01-02 15:04:05 MST"))
		}
		if ts := s.Timestamp; ts != nil {
			state := "trusted"
			if !ts.Intact || !ts.Trusted {
				state = "NOT trusted"
			}
			fmt.Fprintf(w, "   timestamp:   %s by %s (%s)\n", ts.Time.In(models.WIB).Format("2006-01-02 15:04:05 MST"), ts.Authority, state)
		}
		if s.Certificate != nil {
			fmt.Fprintf(w, "   certificate: %s, issued by %s\n", s.Certificate.Subject.CommonName, s.Certificate.Issuer.CommonName)
		}
		fmt.Fprintf(w, "   level:       %s\n", s.Level)
		if s.Certified {
			fmt.Fprintln(w, "   certifies the document: only signatures may follow")
		}
		state := trustWords[s.Trust]
		if s.Trust == pdfsign.TrustTrusted && !s.Valid() {
			state = "NOT VALID (intact and trusted, but the file was changed after it)"
		}
		fmt.Fprintf(w, "   signature:   %s\n", state)
		if s.Problem != "" {
			fmt.Fprintf(w, "   problem:     %s\n", s.Problem)
		}
		fmt.Fprintf(w, "   after it:    %s\n", changeWords[s.Changes])
		if s.ChangeDetail != "" {
			fmt.Fprintf(w, "                %s\n", s.ChangeDetail)
		}
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
