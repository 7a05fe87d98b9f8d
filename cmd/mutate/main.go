// Command mutate is gpubench's mutation suite: it plants each bug of its
// catalogue (catalogue.go) in a scratch copy of the repository, builds
// gpubench there, and runs the commands that must catch it: `gpubench
// run` at sizes chosen to expose the bug, which must exit 1 (a result
// that did not verify), or for a bug in the verifier itself the
// verifier's tests, which must fail.
//
//	go run ./cmd/mutate [-fast] [-run REGEXP] [-list]
//
// It prints one line per mutant,
//
//	KILLED    name  (class)  [the command that caught it, seconds]
//
// SURVIVED where every command passed, STALE where the code a mutant
// edits has changed (its snippet no longer occurs exactly once: update
// the mutant), ERROR where the mutated tree did not build or a command
// failed in some other way (its output's tail follows). Then
//
//	mutate: K of N killed (P %)
//
// and it exits 1 unless every mutant was killed. Before any mutant, every
// command runs once on the tree as it is, and must pass: a command that
// fails there would kill every mutant and prove nothing.
//
// The scratch copy lives in .cache/mutate/tree (make clean removes it).
// -fast runs the subset make test runs. A new kernel, shader or SIMD level
// brings its mutants to the catalogue.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"
)

// commandTimeout bounds one build or command: the slowest command of the
// catalogue (gemm 4096 on llvmpipe) takes under a minute.
const commandTimeout = 5 * time.Minute

func main() {
	fast := flag.Bool("fast", false, "run only the fast subset (make test's)")
	runRE := flag.String("run", "", "run only the mutants whose names match `REGEXP`")
	list := flag.Bool("list", false, "list the catalogue and exit")
	root := flag.String("root", ".", "the repository's root `DIR`")
	flag.Parse()
	os.Exit(mainErr(os.Stdout, *root, *fast, *runRE, *list))
}

func mainErr(w io.Writer, root string, fast bool, runRE string, list bool) int {
	ms, err := selectMutants(Catalogue, fast, runRE)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		return 2
	}
	if list {
		for _, m := range ms {
			f := ""
			if m.Fast {
				f = "  fast"
			}
			fmt.Fprintf(w, "%-36s (%s)  %s%s\n", m.Name, m.Class, m.File, f)
		}
		return 0
	}
	root, err = filepath.Abs(root)
	if err == nil {
		_, err = os.Stat(filepath.Join(root, "go.mod"))
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate: -root must be the repository's root:", err)
		return 2
	}
	s, err := newSuite(root, w)
	if err != nil {
		fmt.Fprintln(os.Stderr, "mutate:", err)
		return 2
	}
	return s.run(ms)
}

// selectMutants is the catalogue, or its fast subset, less those whose
// names do not match runRE.
func selectMutants(all []Mutant, fast bool, runRE string) ([]*Mutant, error) {
	re, err := regexp.Compile(runRE)
	if err != nil {
		return nil, fmt.Errorf("-run: %w", err)
	}
	var out []*Mutant
	for i := range all {
		m := &all[i]
		if (!fast || m.Fast) && re.MatchString(m.Name) {
			out = append(out, m)
		}
	}
	if len(out) == 0 {
		return nil, errors.New("no mutant matches")
	}
	return out, nil
}

// suite runs mutants in the scratch tree.
type suite struct {
	tree *tree
	w    io.Writer
	env  []string
}

func newSuite(root string, w io.Writer) (*suite, error) {
	t, err := newTree(root, filepath.Join(root, ".cache", "mutate", "tree"))
	if err != nil {
		return nil, err
	}
	env := os.Environ()
	// gl compiles its shaders through Mesa, which caches them in the home
	// folder unless told otherwise (the Makefile tells it; a bare go run
	// may not).
	if os.Getenv("MESA_SHADER_CACHE_DIR") == "" {
		dir := filepath.Join(root, ".cache", "mesa")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, err
		}
		env = append(env, "MESA_SHADER_CACHE_DIR="+dir)
	}
	return &suite{tree: t, w: w, env: env}, nil
}

// result is one mutant's verdict and what decided it.
type result struct {
	verdict Verdict
	detail  string // the command that killed it, or why not
	tail    []byte // an ERROR's output tail
}

func (s *suite) run(ms []*Mutant) int {
	start := time.Now()
	if err := s.baseline(ms); err != nil {
		fmt.Fprintln(s.w, "mutate: the tree as it is fails a kill command, so no verdict would mean anything:")
		fmt.Fprintln(s.w, err)
		return 2
	}
	fmt.Fprintf(s.w, "mutate: the unmutated tree passes every command (%.0f s)\n", time.Since(start).Seconds())
	killed := 0
	for _, m := range ms {
		t := time.Now()
		r := s.mutant(m)
		detail := r.detail
		if detail != "" {
			detail = "  [" + detail + fmt.Sprintf(", %.1f s]", time.Since(t).Seconds())
		}
		fmt.Fprintf(s.w, "%-8s  %-36s (%s)%s\n", r.verdict, m.Name, m.Class, detail)
		if len(r.tail) > 0 {
			fmt.Fprintf(s.w, "%s\n", indent(r.tail))
		}
		if r.verdict == Killed {
			killed++
		}
	}
	if err := s.tree.sync(); err != nil {
		fmt.Fprintln(s.w, "mutate: restoring the scratch tree:", err)
	}
	fmt.Fprintf(s.w, "mutate: %d of %d killed (%.0f %%) in %.0f s\n", killed, len(ms),
		100*float64(killed)/float64(len(ms)), time.Since(start).Seconds())
	if killed < len(ms) {
		return 1
	}
	return 0
}

// baseline builds the tree as it is and runs every command of ms once:
// each must pass.
func (s *suite) baseline(ms []*Mutant) error {
	if err := s.tree.sync(); err != nil {
		return err
	}
	seen := map[string]bool{}
	var cmds []Command
	for _, m := range ms {
		for _, c := range m.Kill {
			if k := strings.Join(c.argv(), "\x00"); !seen[k] {
				seen[k] = true
				cmds = append(cmds, c)
			}
		}
	}
	fmt.Fprintf(s.w, "mutate: %d mutants; building the tree as it is and running their %d commands on it\n", len(ms), len(cmds))
	if out, err := s.build(cmds); err != nil {
		return fmt.Errorf("%v\n%s", err, indent(out))
	}
	for _, c := range cmds {
		code, out, err := s.exec(c.argv())
		if err != nil || code != 0 {
			return fmt.Errorf("%s: exit %d %v\n%s", c, code, errOrNil(err), indent(out))
		}
	}
	return nil
}

// mutant applies m in a fresh copy of the tree, builds, and runs its
// commands until one catches it.
func (s *suite) mutant(m *Mutant) result {
	if err := s.tree.sync(); err != nil {
		return result{verdict: Error, detail: "syncing the scratch tree: " + err.Error()}
	}
	if err := s.tree.mutate(m); err != nil {
		var se *StaleError
		if errors.As(err, &se) {
			return result{verdict: Stale, detail: err.Error()}
		}
		return result{verdict: Error, detail: err.Error()}
	}
	if m.Generate {
		// As make generate does; the sync before the next mutant puts
		// the generated files back.
		code, out, err := s.execEnv([]string{"go", "generate", "./cpu/..."}, "GOARCH=amd64")
		if err != nil || code != 0 {
			return result{verdict: Error, detail: "go generate failed", tail: tail(out)}
		}
	}
	if out, err := s.build(m.Kill); err != nil {
		return result{verdict: Error, detail: err.Error(), tail: tail(out)}
	}
	for _, c := range m.Kill {
		code, out, err := s.exec(c.argv())
		if err != nil {
			return result{verdict: Error, detail: fmt.Sprintf("%s: %v", c, err), tail: tail(out)}
		}
		switch outcome(c, code, out) {
		case Caught:
			return result{verdict: Killed, detail: c.String() + how(c, out)}
		case Faulted:
			return result{verdict: Error, detail: fmt.Sprintf("%s: exit %d", c, code), tail: tail(out)}
		}
	}
	return result{verdict: Survived, detail: "every command passed"}
}

// build builds the binaries cmds run, in the scratch tree's bin/.
func (s *suite) build(cmds []Command) ([]byte, error) {
	need := map[Binary]bool{}
	for _, c := range cmds {
		if c.Packages == nil {
			need[c.Binary] = true
		}
	}
	for _, b := range []Binary{Plain, OpenBLAS} {
		if !need[b] {
			continue
		}
		argv := []string{"go", "build", "-o", filepath.Join("bin", string(b))}
		if b == OpenBLAS {
			argv = append(argv, "-tags", "openblas")
		}
		argv = append(argv, "./cmd/gpubench")
		code, out, err := s.exec(argv)
		if err != nil || code != 0 {
			return out, fmt.Errorf("%s does not build", b)
		}
	}
	return nil, nil
}

func (s *suite) exec(argv []string) (int, []byte, error) { return s.execEnv(argv) }

// execEnv runs argv in the scratch tree (a gpubench binary from its
// bin/) with extra environment, and returns its exit code and its output
// (stdout and stderr together). err is set where it could not start or
// ran past commandTimeout.
func (s *suite) execEnv(argv []string, extra ...string) (int, []byte, error) {
	ctx, cancel := context.WithTimeout(context.Background(), commandTimeout)
	defer cancel()
	name := argv[0]
	if name != "go" {
		name = filepath.Join(s.tree.dir, "bin", name)
	}
	cmd := exec.CommandContext(ctx, name, argv[1:]...)
	cmd.Dir = s.tree.dir
	cmd.Env = append(append([]string(nil), s.env...), extra...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	cmd.WaitDelay = 10 * time.Second
	ownGroup(cmd)
	err := cmd.Run()
	if ctx.Err() != nil {
		return -1, out.Bytes(), fmt.Errorf("timed out after %v", commandTimeout)
	}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), out.Bytes(), nil
	}
	if err != nil {
		return -1, out.Bytes(), err
	}
	return 0, out.Bytes(), nil
}

// tail is the last lines of out, enough to see why a command failed.
func tail(out []byte) []byte {
	lines := bytes.Split(bytes.TrimRight(out, "\n"), []byte("\n"))
	if len(lines) > 15 {
		lines = lines[len(lines)-15:]
	}
	return bytes.Join(lines, []byte("\n"))
}

func indent(b []byte) string {
	return "\t" + strings.ReplaceAll(string(tail(b)), "\n", "\n\t")
}

func errOrNil(err error) string {
	if err == nil {
		return ""
	}
	return "(" + err.Error() + ")"
}
