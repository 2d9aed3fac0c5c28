// Command pantau is the Pantau server and its administration commands: serve, migrate,
// user add, seed, report, export, import, audit, verify, backup, restore and version.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdin, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

const usage = `Pantau tracks corruption-prevention action plans (Korsupgah / MCP) of a province's Pemda.

Usage:
  pantau serve [--demo] [flags]       run the web server
  pantau migrate [--dry-run]          apply pending database migrations and exit (--dry-run: list them)
  pantau user add --email E --name N --role R [--region CODE]
                                      add a user; the password is read from standard input
  pantau seed --demo                  load the Central Kalimantan demo data into an empty database
  pantau report progress --year Y [--region CODE] -o FILE   write a progress report PDF
  pantau export --year Y --table T [--province P|--region CODE] [--sep ";"] -o FILE.xlsx|FILE.csv
                                      write a table (summary, items, radar, delegation, catalogue, audit)
  pantau import catalogue|claims --year Y [--as EMAIL] [--dry-run] FILE
                                      import the catalogue or claims from XLSX or CSV, all rows or none
  pantau audit verify                 check the audit trail's hash chain; exit 1 naming the first broken event
  pantau verify FILE.pdf              check a signed document's signatures; exit 0 only when all are valid
  pantau backup -o FILE               write a backup (database snapshot, files, CA) while the server runs
  pantau restore FILE                 fill an empty installation from a backup, either database;
                                      exit 0 only when every file's SHA-256 matched the manifest
  pantau version                      print the version

Every command reads DATABASE_URL (PostgreSQL) or uses the embedded SQLite database in
PANTAU_DATA_DIR (default ./data). Run "pantau COMMAND --help" for a command's flags.
`

// run is the whole program; main only wires it to the process.
func run(ctx context.Context, args []string, getenv func(string) string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return 2
	}
	var err error
	switch args[0] {
	case "serve":
		err = serve(ctx, args[1:], getenv, stdout, stderr)
	case "migrate":
		err = migrate(ctx, args[1:], getenv, stdout, stderr)
	case "user":
		err = user(ctx, args[1:], getenv, stdin, stdout, stderr)
	case "seed":
		err = seed(ctx, args[1:], getenv, stdout, stderr)
	case "report":
		err = report(ctx, args[1:], getenv, stdout, stderr)
	case "export":
		err = export(ctx, args[1:], getenv, stdout, stderr)
	case "import":
		err = importSheet(ctx, args[1:], getenv, stdout, stderr)
	case "audit":
		err = audit(ctx, args[1:], getenv, stdout, stderr)
	case "verify":
		err = verify(ctx, args[1:], getenv, stdout, stderr)
	case "backup":
		err = backupCmd(ctx, args[1:], getenv, stdout, stderr)
	case "restore":
		err = restoreCmd(ctx, args[1:], getenv, stdout, stderr)
	case "version":
		fmt.Fprintln(stdout, "pantau", version)
	case "help", "-h", "--help":
		fmt.Fprint(stdout, usage)
	default:
		fmt.Fprintf(stderr, "pantau: unknown command %q\n\n%s", args[0], usage)
		return 2
	}
	switch {
	case err == nil:
		return 0
	case errors.Is(err, flag.ErrHelp):
		return 0
	case errors.Is(err, errUsage):
		return 2
	}
	fmt.Fprintln(stderr, "pantau:", err)
	return 1
}

// errUsage marks a command line that was wrong; the flag package has already said why.
var errUsage = errors.New("usage")

// newFlags makes a flag set whose help goes to stderr and starts with the command's summary.
func newFlags(name, summary string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "%s\n\nUsage of pantau %s:\n", summary, name)
		fs.PrintDefaults()
	}
	return fs
}

// parse parses flags, mapping a bad command line to errUsage.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return errUsage
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(fs.Output(), "unexpected arguments: %v\n", fs.Args())
		return errUsage
	}
	return nil
}
