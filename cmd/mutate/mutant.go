package main

import (
	"bytes"
	"fmt"
	"strings"
)

// Class is the part of the project a mutant plants its bug in.
type Class string

const (
	Generic   Class = "generic kernel"  // cpu/internal/kern's pure-Go code and its Table
	Assembly  Class = "assembly"        // the avo generators (cpu/_gen) and the Go around their output
	GemmClass Class = "gemm driver"     // cpu/internal/gemm: blocking, packing, edges, merges
	Parallel  Class = "parallel runner" // cpu/parallel.go: splits and reductions over workers
	Shader    Class = "shader"          // shaders/*.comp
	Peer      Class = "peer"            // peer/: the gonum and OpenBLAS adapters
	Verifier  Class = "verifier"        // compute/bound.go and ref: the checks themselves
)

// Classes lists every class, in the order the catalogue is printed.
var Classes = []Class{Generic, Assembly, GemmClass, Parallel, Shader, Peer, Verifier}

// Mutant is one planted bug: in File, the text Old (which must occur
// exactly once) becomes New. Each is a real bug, one a correct verifier
// must catch at the sizes its commands run.
type Mutant struct {
	Name  string
	Class Class
	File  string // path from the repository root, slash-separated
	Old   string
	New   string
	// Generate runs the assembly generators (as make generate does)
	// after the edit: File is a generator's source.
	Generate bool
	// Fast puts the mutant in the subset make test runs.
	Fast bool
	// Kill are the commands that must catch it: any one of them that
	// reports a failure kills it.
	Kill []Command
	// Note says what the bug is, where the snippet does not say it.
	Note string
}

// Binary is a gpubench build a command runs.
type Binary string

const (
	Plain    Binary = "gpubench"          // go build ./cmd/gpubench
	OpenBLAS Binary = "gpubench-openblas" // go build -tags openblas ./cmd/gpubench
)

// Command is one kill command: gpubench run with Args after the quick
// timing flags (Binary set), or go test of Packages.
type Command struct {
	Binary   Binary
	Args     []string
	Packages []string
}

// run is a kill command `gpubench run args...`.
func run(args ...string) Command { return Command{Binary: Plain, Args: args} }

// runBLAS is run on the binary built with -tags openblas.
func runBLAS(args ...string) Command {
	c := run(args...)
	c.Binary = OpenBLAS
	return c
}

// goTest is a kill command `go test` of packages.
func goTest(pkgs ...string) Command { return Command{Packages: pkgs} }

// quick comes before every run's own arguments (which may override it):
// one warm-up run (so that a kernel is called more than once before its
// result is checked) and one repetition, with no minimum times, two
// workers whatever the machine (so that the parallel paths run at the
// sizes chosen), and no progress.
var quick = []string{"--warmup", "1", "--reps", "1", "--min-warmup-time", "0", "--min-rep-time", "0", "--workers", "2", "-q"}

// argv is the command line: the binary (or go) and its arguments.
func (c Command) argv() []string {
	if c.Packages != nil {
		return append([]string{"go", "test", "-count=1"}, c.Packages...)
	}
	return append(append([]string{string(c.Binary), "run"}, quick...), c.Args...)
}

// String is the command without the quick timing flags.
func (c Command) String() string {
	if c.Packages != nil {
		return "go test " + strings.Join(c.Packages, " ")
	}
	return string(c.Binary) + " run " + strings.Join(c.Args, " ")
}

// Apply returns src with m's Old replaced by New. Old must occur exactly
// once: otherwise the mutant is stale (the code it mutates has changed)
// and the error says how many times it occurs.
func (m *Mutant) Apply(src []byte) ([]byte, error) {
	n := bytes.Count(src, []byte(m.Old))
	if n != 1 {
		return nil, &StaleError{File: m.File, Count: n}
	}
	return bytes.Replace(src, []byte(m.Old), []byte(m.New), 1), nil
}

// StaleError is a mutant whose Old does not occur exactly once in File.
type StaleError struct {
	File  string
	Count int
}

func (e *StaleError) Error() string {
	if e.Count == 0 {
		return fmt.Sprintf("its snippet is not in %s: update the mutant to the code as it is now", e.File)
	}
	return fmt.Sprintf("its snippet occurs %d times in %s: make it longer, so that it names one place", e.Count, e.File)
}

// Verdict is what became of a mutant.
type Verdict string

const (
	Killed   Verdict = "KILLED"   // a kill command reported the bug
	Survived Verdict = "SURVIVED" // every kill command passed
	Stale    Verdict = "STALE"    // its snippet does not occur exactly once
	Error    Verdict = "ERROR"    // it did not build, or a command failed in another way
)

// Outcome is what one command's exit said about the tree it ran on.
type Outcome int

const (
	Passed  Outcome = iota // exit 0: every result verified, every test passed
	Caught                 // the failure the command exists to report
	Faulted                // anything else: a usage error, a crash, a build failure, a timeout
)

// outcome reads a command's exit code (and, for go test, its output).
// gpubench run exits 1 when a result did not verify or a case could not
// run (docs/errors.md, exit codes); any other code is not a verdict on the
// kernels. go test exits 1 when a test fails and also when a package does
// not build, which it marks in its output.
func outcome(c Command, code int, output []byte) Outcome {
	switch {
	case code == 0:
		return Passed
	case code != 1:
		return Faulted
	case c.Packages != nil && (bytes.Contains(output, []byte("[build failed]")) || bytes.Contains(output, []byte("[setup failed]"))):
		return Faulted
	}
	return Caught
}

// how says, for a run that caught a mutant, if no result failed to
// verify: its exit 1 came from a case that could not run (a panic, a
// shader the driver refused), which the table marks ERROR where a
// result that did not verify is FAIL. Such a mutant is killed, but not
// by the verifier.
func how(c Command, output []byte) string {
	if c.Packages != nil || bytes.Contains(output, []byte(" FAIL")) {
		return ""
	}
	return " (no result failed to verify: a case could not run)"
}
