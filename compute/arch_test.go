package compute

import (
	"go/build"
	"strings"
	"testing"
)

const module = "github.com/gpubench/gpubench"

// imports lists the project's packages that pkg imports, directly or
// (with deps) through other packages of the project; tests excluded.
func imports(t *testing.T, pkg string, deps bool) map[string]bool {
	t.Helper()
	seen := map[string]bool{}
	var walk func(path string)
	walk = func(path string) {
		p, err := build.Default.Import(path, ".", 0)
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		for _, imp := range p.Imports {
			if !strings.HasPrefix(imp, module+"/") || seen[imp] {
				continue
			}
			seen[imp] = true
			if deps {
				walk(imp)
			}
		}
	}
	walk(pkg)
	return seen
}

// TestArchitecture holds the layout docs/architecture.md's import graph
// describes: compute is the neutral API and depends on none of the
// probe, the backends or the harness; the command imports no
// implementation package of the CPU backend.
func TestArchitecture(t *testing.T) {
	t.Parallel()
	for dep := range imports(t, module+"/compute", true) {
		t.Errorf("compute depends on %s", dep)
	}
	for imp := range imports(t, module+"/cmd/gpubench", false) {
		if strings.Contains(imp, "/internal/") {
			t.Errorf("cmd/gpubench imports %s", imp)
		}
	}
}
