package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Files a hostile or careless user hands to the commands that read
// results files: each is made here, by the test.

// writeTemp writes content to name in dir and returns its path.
func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompareRefusesWhatIsNotOneReport: compare exits 2 naming the
// fault on a good file followed by garbage, two files joined, an object
// without results, the output of 'gpubench info --json', and a file
// whose run finished no case; never 0.
func TestCompareRefusesWhatIsNotOneReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := readFile(t, golden("v1.json"))
	info, stderr, code := gpubench(t, noGL, "info", "--json")
	if code != exitOK {
		t.Fatalf("info --json: exit %d, %s", code, stderr)
	}
	for _, c := range []struct{ name, content, want string }{
		{"garbage.json", good + "garbage", "holds more after its JSON object"},
		{"joined.json", good + good, "two files joined"},
		{"bare.json", `{"schema_version":1}`, `is not a complete results file: it has no "results"`},
		{"info.json", info, "is 'gpubench info --json' output, not a results file"},
		{"array.json", `[{"schema_version":1}]`, "it holds a JSON array, where a results file holds an object"},
		{"wrong.json", `{"schema_version":1,"results":{}}`, `field "results" holds an object where a results file has an array`},
		{"none.json", `{"schema_version":1,"results":null}`, "holds no case to compare"},
	} {
		p := writeTemp(t, dir, c.name, c.content)
		for _, args := range [][]string{{"compare", golden("v1.json"), p}, {"compare", p, golden("v1.json")}} {
			_, stderr, code := gpubench(t, noGL, args...)
			if code != exitUsage || !strings.Contains(stderr, c.name) || !strings.Contains(stderr, c.want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", args, code, stderr, c.want)
			}
		}
	}
}
