package main

import (
	"context"
	"fmt"
	"io"
	"time"
)

// audit runs "pantau audit verify": walk the audit chain and name the first broken event.
func audit(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	if len(args) == 0 || args[0] != "verify" {
		fmt.Fprintln(stderr, "usage: pantau audit verify")
		return errUsage
	}
	var cfg config
	fs := newFlags("audit verify", "Check the audit chain: every event's hash, their order, and the chain's head.\nExits 0 when intact, 1 naming the first broken event.", stderr)
	cfg.dbFlags(fs, getenv)
	if err := parse(fs, args[1:]); err != nil {
		return err
	}
	db, err := cfg.openValid()
	if err != nil {
		return err
	}
	defer db.Close()
	start := time.Now()
	report, err := db.VerifyAudit(ctx, nil)
	if err != nil {
		return err
	}
	if report.Broken != "" {
		return fmt.Errorf("audit chain broken after %d intact events: %s", report.Events, report.Broken)
	}
	fmt.Fprintf(stdout, "audit chain intact: %d events checked in %s\n", report.Events, time.Since(start).Round(time.Millisecond))
	return nil
}
