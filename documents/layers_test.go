package documents_test

import (
	"os/exec"
	"strings"
	"testing"
)

const module = "github.com/pantau-id/pantau"

// layers ranks the module's top-level packages: a package (or its tests) may import only
// packages of a lower layer, or of its own top-level package. cmd → api → documents →
// (reports → models); sheets and backup are beside reports; notify (notifications' words, e-mail
// and its outbox sender) and jobs (the job queue) beside documents; frontend is beside api and
// wired in by cmd; deploy (checks of the packaging) and scripts stand on top; internal (small
// helpers that know nothing of Pantau) lies below them all.
var layers = map[string]int{
	"internal":  -1,
	"models":    0,
	"reports":   1,
	"sheets":    1,
	"backup":    1,
	"documents": 2,
	"notify":    2,
	"jobs":      2,
	"api":       3,
	"frontend":  3,
	"cmd":       4,
	"scripts":   4,
	"deploy":    4,
}

// topOf is the top-level package of an import path inside the module ("models" for
// ".../models/demo"), or "" outside it.
func topOf(path string) string {
	rest, ok := strings.CutPrefix(path, module+"/")
	if !ok {
		return ""
	}
	top, _, _ := strings.Cut(rest, "/")
	return top
}

// TestLayers reads every package's imports (its tests' too) with go list and fails on an
// import against the layers, and on any package but cmd/pantau importing api.
func TestLayers(t *testing.T) {
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skip("no go tool on PATH")
	}
	out, err := exec.Command(goTool, "list", "-f", `{{.ImportPath}}|{{join .Imports " "}}|{{join .TestImports " "}} {{join .XTestImports " "}}`, module+"/...").Output()
	if err != nil {
		t.Fatalf("go list: %v", err)
	}
	checked := 0
	for _, line := range strings.Split(strings.TrimSpace(string(out)), "\n") {
		parts := strings.SplitN(line, "|", 3)
		pkg := parts[0]
		from, known := layers[topOf(pkg)]
		if !known {
			t.Errorf("%s is in no layer: add its top-level package to layers", pkg)
			continue
		}
		for i, imports := range parts[1:] {
			for _, imp := range strings.Fields(imports) {
				top := topOf(imp)
				if top == "" || imp == pkg {
					continue
				}
				checked++
				to, known := layers[top]
				switch {
				case !known:
					t.Errorf("%s imports %s, which is in no layer", pkg, imp)
				case i == 0 && top == "api" && pkg != module+"/cmd/pantau":
					t.Errorf("%s imports api: only cmd/pantau wires the HTTP layer", pkg)
				case to > from || (to == from && top != topOf(pkg)):
					t.Errorf("%s imports %s: against the layers cmd → api → documents → reports → models", pkg, imp)
				}
			}
		}
	}
	if checked < 20 {
		t.Fatalf("only %d imports inside the module were checked; go list said:\n%s", checked, out)
	}
}
