package main

import (
	"errors"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// repoRoot is the repository's root, two folders up from this package.
const repoRoot = "../.."

// TestCatalogueCurrent applies every mutant to the file it names, as it
// is in this tree: a snippet that no longer occurs exactly once is a
// stale mutant, to be brought up to date with the code it mutates, here
// rather than at the next make mutate.
func TestCatalogueCurrent(t *testing.T) {
	for i := range Catalogue {
		m := &Catalogue[i]
		src, err := os.ReadFile(filepath.Join(repoRoot, filepath.FromSlash(m.File)))
		if err != nil {
			t.Errorf("%s: %v", m.Name, err)
			continue
		}
		out, err := m.Apply(src)
		if err != nil {
			t.Errorf("%s is stale: %v", m.Name, err)
			continue
		}
		if string(out) == string(src) {
			t.Errorf("%s changes nothing", m.Name)
		}
	}
}

// TestCatalogueWellFormed checks what the suite relies on: unique names,
// known classes, kill commands of the right kind, generators only for
// generator sources.
func TestCatalogueWellFormed(t *testing.T) {
	names := map[string]bool{}
	known := map[Class]bool{}
	for _, c := range Classes {
		known[c] = true
	}
	name := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for _, m := range Catalogue {
		if !name.MatchString(m.Name) {
			t.Errorf("%q: a name is lower-case words joined by hyphens", m.Name)
		}
		if names[m.Name] {
			t.Errorf("%s: two mutants have this name", m.Name)
		}
		names[m.Name] = true
		if !known[m.Class] {
			t.Errorf("%s: unknown class %q", m.Name, m.Class)
		}
		if m.Old == m.New || m.Old == "" {
			t.Errorf("%s: Old must be a non-empty snippet that New changes", m.Name)
		}
		if len(m.Kill) == 0 {
			t.Errorf("%s: no kill command", m.Name)
		}
		if m.Generate != strings.HasPrefix(m.File, "cpu/_gen/") {
			t.Errorf("%s: Generate must be set exactly for a generator's source (%s)", m.Name, m.File)
		}
		for _, c := range m.Kill {
			test := c.Packages != nil
			if test != (m.Class == Verifier) {
				t.Errorf("%s: a verifier mutant is caught by go test, any other by gpubench run: %s", m.Name, c)
			}
			if !test && c.Binary != Plain && c.Binary != OpenBLAS {
				t.Errorf("%s: unknown binary %q", m.Name, c.Binary)
			}
		}
	}
	if len(Catalogue) < 30 {
		t.Errorf("the catalogue has %d mutants; it needs at least 30", len(Catalogue))
	}
}

// TestEveryClassAndShader checks the catalogue's coverage: every class
// has a mutant in the fast subset, and every shader has a mutant.
func TestEveryClassAndShader(t *testing.T) {
	fast := map[Class]bool{}
	files := map[string]bool{}
	for _, m := range Catalogue {
		fast[m.Class] = fast[m.Class] || m.Fast
		files[m.File] = true
	}
	for _, c := range Classes {
		if !fast[c] {
			t.Errorf("class %q has no mutant in the fast subset", c)
		}
	}
	shaders, err := filepath.Glob(filepath.Join(repoRoot, "shaders", "*.comp"))
	if err != nil || len(shaders) == 0 {
		t.Fatalf("no shaders found: %v", err)
	}
	for _, s := range shaders {
		f := "shaders/" + filepath.Base(s)
		if f == "shaders/empty.comp" { // it computes nothing
			continue
		}
		if !files[f] {
			t.Errorf("%s has no mutant: add one to the catalogue", f)
		}
	}
}

func TestApply(t *testing.T) {
	m := Mutant{File: "f.go", Old: "a+b", New: "a-b"}
	out, err := m.Apply([]byte("x := a+b\n"))
	if err != nil || string(out) != "x := a-b\n" {
		t.Errorf("Apply = %q, %v; want the one occurrence replaced", out, err)
	}
	for src, count := range map[string]int{"x := a*b\n": 0, "x := a+b + a+b\n": 2} {
		_, err := m.Apply([]byte(src))
		var se *StaleError
		if !errors.As(err, &se) || se.Count != count || se.File != "f.go" {
			t.Errorf("Apply(%q) = %v, want a StaleError counting %d", src, err, count)
		}
	}
}

func TestOutcome(t *testing.T) {
	runCmd := run("--kernel", "dot")
	testCmd := goTest("./ref/")
	for _, tc := range []struct {
		c    Command
		code int
		out  string
		want Outcome
	}{
		{runCmd, 0, "", Passed},
		{runCmd, 1, "dot … MISMATCH", Caught},
		{runCmd, 2, "unknown kernel", Faulted},
		{runCmd, 3, "gl: not available", Faulted},
		{runCmd, 4, "", Faulted},
		{runCmd, -1, "signal: killed", Faulted},
		{testCmd, 0, "ok", Passed},
		{testCmd, 1, "--- FAIL: TestBound", Caught},
		{testCmd, 1, "FAIL\tgithub.com/gpubench/gpubench/ref [build failed]", Faulted},
		{testCmd, 1, "FAIL\tgithub.com/gpubench/gpubench/ref [setup failed]", Faulted},
		{testCmd, 2, "", Faulted},
	} {
		if got := outcome(tc.c, tc.code, []byte(tc.out)); got != tc.want {
			t.Errorf("outcome(%s, %d, %q) = %d, want %d", tc.c, tc.code, tc.out, got, tc.want)
		}
	}
}

func TestHow(t *testing.T) {
	c := run("--kernel", "dot")
	if s := how(c, []byte("dot  1000  float32  cpu/avx512  1 µs  -  -  FAIL\n")); s != "" {
		t.Errorf("a run whose result failed to verify: %q, want nothing", s)
	}
	if s := how(c, []byte("dot  1000  float32  cpu/avx512  ERROR\n! dot/cpu 1000: panic")); s == "" {
		t.Error("a run whose case could not run is not marked")
	}
	if s := how(goTest("./ref/"), []byte("--- FAIL: TestX")); s != "" {
		t.Errorf("go test: %q, want nothing", s)
	}
}

func TestCommandLine(t *testing.T) {
	c := run("--kernel", "sum", "--workers", "1")
	argv := c.argv()
	if argv[0] != "gpubench" || argv[1] != "run" {
		t.Fatalf("argv = %q", argv)
	}
	// The command's own flags come last, so that they win over quick's.
	if got := strings.Join(argv[len(argv)-2:], " "); got != "--workers 1" {
		t.Errorf("argv ends %q, want the command's own flags", got)
	}
	if s := c.String(); s != "gpubench run --kernel sum --workers 1" {
		t.Errorf("String = %q", s)
	}
	if s := runBLAS("--kernel", "dot").argv()[0]; s != "gpubench-openblas" {
		t.Errorf("runBLAS runs %q", s)
	}
	if s := goTest("./ref/").String(); s != "go test ./ref/" {
		t.Errorf("goTest String = %q", s)
	}
}

func TestSelect(t *testing.T) {
	all := []Mutant{{Name: "a-x", Fast: true}, {Name: "b-x"}, {Name: "c-y", Fast: true}}
	for _, tc := range []struct {
		fast bool
		re   string
		want string
	}{
		{false, "", "a-x b-x c-y"},
		{true, "", "a-x c-y"},
		{false, "-x$", "a-x b-x"},
		{true, "^b", ""},
	} {
		ms, err := selectMutants(all, tc.fast, tc.re)
		var got []string
		for _, m := range ms {
			got = append(got, m.Name)
		}
		if strings.Join(got, " ") != tc.want || (tc.want == "") != (err != nil) {
			t.Errorf("selectMutants(fast=%v, %q) = %v, %v; want %q", tc.fast, tc.re, got, err, tc.want)
		}
	}
	if _, err := selectMutants(all, false, "("); err == nil {
		t.Error("a malformed -run was taken")
	}
}

// TestSync checks that syncing undoes a mutant's edit and a generator's
// output, removes what the source does not have, and keeps the scratch
// tree's binaries.
func TestSync(t *testing.T) {
	src, dir := t.TempDir(), t.TempDir()
	write := func(root, f, s string) {
		t.Helper()
		p := filepath.Join(root, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(s), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	write(src, "go.mod", "module m\n")
	write(src, "a/x.go", "package a // x\n")
	tr := &tree{src: src, dir: dir, files: []string{"go.mod", "a/x.go"}}
	if err := tr.sync(); err != nil {
		t.Fatal(err)
	}
	m := &Mutant{File: "a/x.go", Old: "// x", New: "// mutated"}
	if err := tr.mutate(m); err != nil {
		t.Fatal(err)
	}
	write(dir, "a/gen.s", "generated\n")
	write(dir, "bin/gpubench", "binary\n")
	if err := tr.sync(); err != nil {
		t.Fatal(err)
	}
	if b, _ := os.ReadFile(filepath.Join(dir, "a", "x.go")); string(b) != "package a // x\n" {
		t.Errorf("after sync a/x.go = %q, want the source's", b)
	}
	if _, err := os.Stat(filepath.Join(dir, "a", "gen.s")); !os.IsNotExist(err) {
		t.Errorf("a file the source does not have survived sync: %v", err)
	}
	if _, err := os.Stat(filepath.Join(dir, "bin", "gpubench")); err != nil {
		t.Errorf("sync removed the scratch tree's binary: %v", err)
	}
	var se *StaleError
	if err := tr.mutate(&Mutant{File: "a/gone.go", Old: "x", New: "y"}); !errors.As(err, &se) {
		t.Errorf("mutating a missing file = %v, want a StaleError", err)
	}
}
