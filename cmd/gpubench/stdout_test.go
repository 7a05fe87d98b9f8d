//go:build linux

package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// gpubenchToFull is gpubench (the test binary as gpubench, asGpubench)
// with /dev/full, a real device on which every write fails with ENOSPC,
// as its standard output.
func gpubenchToFull(t *testing.T, args ...string) (string, int) {
	t.Helper()
	if _, err := os.Stat("/dev/full"); err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	_, stderr, code := run1(t, os.Args[0], "/dev/full", append([]string{envAsGpubench + "=1"}, noGL...), args...)
	return stderr, code
}

// TestStdoutFullEveryCommand: every command, in every format it writes,
// and cobra's help, usage and completion scripts, exit 4 naming
// standard output when it cannot be written (a full disk), never 0 and
// never 2. The check is made once, in run, on the one writer every
// command is given.
func TestStdoutFullEveryCommand(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	cross := filepath.Join("..", "..", "docs", "results", "zen5-2vcpu-2026-12-04", "crossover.json")
	roof := filepath.Join("..", "..", "docs", "results", "xeon-emr-2vcpu-2026-11-26", "roofline.json")
	quick := []string{"run", "--backend", "cpu", "--kernel", "dot", "--size", "1000", "--reps", "1", "-q"}
	transfer := []string{"transfer", "--backend", "cpu", "--max-size", "16Ki", "--reps", "1", "-q"}
	scale := []string{"scale", "--kernel", "saxpy", "--size", "1000", "--workers", "1", "--reps", "1", "-q"}
	cases := [][]string{
		{"-q"}, // the quick suite, gpubench with no command
		{"--version"}, {"-v"}, {"help"}, {"--help"}, {"help", "run"}, {"run", "--help"}, {"compare", "-h"},
		{"completion", "bash"}, {"completion", "zsh"}, {"completion", "fish"}, {"completion", "powershell"},
		{"__complete", "run", "--kernel", "sa"},
		{"info"}, {"info", "--json"}, {"info", "--format", "json"},
		{"list"}, {"list", "--json"},
		{"compare", golden("v1.json"), golden("v1.json")}, {"compare", "--format", "json", golden("v1.json"), golden("v1.json")},
		{"crossover", "--from", cross}, {"crossover", "--from", cross, "--format", "json"},
		{"roofline", "--from", roof, "--last", golden("v1.json")}, {"roofline", "--from", roof, "--last", golden("v1.json"), "--format", "json"},
		scale, append(scale, "--format", "json"),
	}
	if glBuilt { // the devices are gl's: without it, list --devices is exit 3
		cases = append(cases, []string{"list", "--devices"}, []string{"list", "--devices", "--json"})
	}
	for _, f := range []string{"table", "json", "csv", "benchfmt"} {
		cases = append(cases, append(append([]string{}, quick...), "--format", f), append(append([]string{}, transfer...), "--format", f))
	}
	cases = append(cases, append(append([]string{}, quick...), "--out", filepath.Join(dir, "r.json")))
	for _, args := range cases {
		stderr, code := gpubenchToFull(t, args...)
		if code != exitIO || !strings.Contains(stderr, "standard output") || !strings.Contains(stderr, "no space left") {
			t.Errorf("%v > /dev/full: exit %d, stderr %q; want 4 naming standard output", args, code, stderr)
		}
	}
	// The results file is written before standard output is tried.
	if _, err := os.Stat(filepath.Join(dir, "r.json")); err != nil {
		t.Errorf("--out with stdout on a full disk: %v", err)
	}
}

// TestStdoutFullUnwritten: a command refused before it writes anything
// keeps its own exit code and message; a full standard output it never
// wrote to is no failure.
func TestStdoutFullUnwritten(t *testing.T) {
	t.Parallel()
	stderr, code := gpubenchToFull(t, "compare", golden("v1.json"), golden("truncated.json"))
	if code != exitUsage || strings.Contains(stderr, "standard output") {
		t.Errorf("a refused file, nothing written: exit %d, stderr %q; want 2 and no word of stdout", code, stderr)
	}
}

// TestStdoutFullSupervised: a run that may open gl runs in a supervised
// child, which writes to the same full standard output itself: it says
// so once, with exit 4, and the supervisor reports no child's death (a
// child that wrote through a pipe its supervisor had stopped reading
// died by SIGPIPE, "the cases that finished are lost").
func TestStdoutFullSupervised(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	for _, args := range [][]string{{"-q"}, {"run", "--backend", "cpu,gl", "--kernel", "saxpy,dot", "--size", "1Ki", "--format", "csv", "-q"}} {
		_, stderr, code := gpubenchTo(t, "/dev/full", nil, args...)
		if code != exitIO || strings.Count(stderr, "standard output") != 1 || strings.Contains(stderr, "ended by") {
			t.Errorf("%v > /dev/full: exit %d, stderr %q; want 4 naming standard output once, and no child's end", args, code, stderr)
		}
	}
}

// TestStdoutClosedSupervised: a supervised run whose standard output is
// a pipe its reader has closed (| head -1) ends by SIGPIPE, 141, as any
// command in a pipeline, with no word that finished cases were lost: the
// --out file is written before standard output is tried.
func TestStdoutClosedSupervised(t *testing.T) {
	t.Parallel()
	glAvailable(t)
	out := filepath.Join(t.TempDir(), "r.json")
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	r.Close()
	defer w.Close()
	cmd := exec.Command(binary, "run", "--backend", "cpu,gl", "--kernel", "saxpy", "--size", "1Ki", "--out", out, "-q")
	var stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = w, &stderr
	err = cmd.Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 141 && !strings.Contains(ee.String(), "broken pipe") {
		t.Errorf("stdout closed: %v, want the end by SIGPIPE; stderr:\n%s", err, stderr.String())
	}
	if stderr.Len() != 0 {
		t.Errorf("stdout closed: stderr %q, want nothing", stderr.String())
	}
	if _, err := os.Stat(out); err != nil {
		t.Errorf("--out: %v", err)
	}
}
