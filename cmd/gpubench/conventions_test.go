package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/gl"
	"github.com/gpubench/gpubench/harness"
)

// everyCommand is a command line of each command that prints data, as
// short as it can be made; compare reads two results files.
var everyCommand = [][]string{
	{"info"}, {"list"}, {"run", "--kernel", "dot", "--size", "8"},
	{"compare", golden("v1.json"), golden("v1.json")},
	{"scale", "--kernel", "saxpy", "--size", "8"}, {"roofline", "--quick"}, {"crossover"}, {"transfer"},
}

// TestGlobalFlagsEveryCommand: the global flags are one set, read by
// every command, so every command refuses a device index below -1 and a
// worker count beyond compute.MaxWorkers alike, with exit 2 and one line
// naming the value, before it measures anything.
func TestGlobalFlagsEveryCommand(t *testing.T) {
	for _, c := range everyCommand {
		for _, bad := range [][]string{{"--device", "-7"}, {"--workers", "5000"}} {
			args := append(slices.Clone(c), bad...)
			_, stderr, code := gpubench(t, noGL, args...)
			want := strings.Join(bad, " ")
			if code != exitUsage || !strings.Contains(stderr, want) || strings.Count(strings.TrimSpace(stderr), "\n") > 0 {
				t.Errorf("gpubench %s: exit %d, stderr %q; want exit 2, one line naming %q", strings.Join(args, " "), code, stderr, want)
			}
		}
	}
	// Before the command, as a global flag, too.
	if _, stderr, code := gpubench(t, noGL, "--device", "-7", "scale", "--kernel", "saxpy"); code != exitUsage {
		t.Errorf("gpubench --device -7 scale: exit %d, %s; want 2", code, stderr)
	}
}

// TestScaleDebug: scale reads the global --debug as every command does:
// a panic in its backend is its error, with the stack under --debug and
// without it otherwise.
func TestScaleDebug(t *testing.T) {
	t.Parallel()
	r := newBackends(gl.Isolation{})
	r.Register(panicking(r, compute.Saxpy))
	for _, debug := range []bool{false, true} {
		args := []string{"scale", "--backend", "panic", "--kernel", "saxpy", "--size", "64", "--workers", "1,2", "--reps", "1", "-q"}
		if debug {
			args = append(args, "--debug")
		}
		root := newRoot(harness.NewEnv(r), nil, io.Discard, io.Discard)
		root.SetArgs(args)
		err := root.ExecuteContext(context.Background())
		if err == nil || !strings.Contains(err.Error(), "panic: assignment to entry in nil map") {
			t.Fatalf("scale on a panicking backend, debug %v: %v; want the panic as its error", debug, err)
		}
		if stack := strings.Contains(err.Error(), "goroutine "); stack != debug {
			t.Errorf("scale, debug %v: the error holds a stack: %v\n%v", debug, stack, err)
		}
	}
}

// TestFormatJSONEveryCommand: every command that prints data takes
// --format json and prints one JSON value; info and list take --json as
// well, the older spelling, and not together with --format.
func TestFormatJSONEveryCommand(t *testing.T) {
	dir := t.TempDir()
	cmds := [][]string{
		{"info"}, {"list"},
		{"run", "--backend", "cpu", "--kernel", "dot", "--size", "8", "--reps", "1"},
		{"compare", golden("v1.json"), golden("v1.json")},
		{"scale", "--kernel", "saxpy", "--size", "1000", "--workers", "1,2", "--reps", "2", "--out", filepath.Join(dir, "s.svg")},
		{"transfer", "--backend", "cpu", "--max-size", "16Ki", "--reps", "1"},
		{"info", "--json"}, {"list", "--json"},
	}
	if glBuilt { // the devices are gl's: without it, list --devices is exit 3
		cmds = append(cmds, []string{"list", "--devices"})
	}
	for _, c := range cmds {
		args := c
		if !slices.Contains(c, "--json") {
			args = append(slices.Clone(c), "--format", "json")
		}
		stdout, stderr, code := gpubench(t, noGL, append(args, "-q")...)
		var v any
		if err := json.Unmarshal([]byte(stdout), &v); code != 0 || err != nil {
			t.Errorf("gpubench %s: exit %d, %v, stderr %q:\n%s", strings.Join(args, " "), code, err, stderr, stdout)
		}
	}
	for _, c := range [][]string{{"info", "--json", "--format", "table"}, {"scale", "--format", "csv"}, {"compare", "--format", "xml", "a", "b"}} {
		if _, stderr, code := gpubench(t, noGL, c...); code != exitUsage {
			t.Errorf("gpubench %s: exit %d, %s; want 2", strings.Join(c, " "), code, stderr)
		}
	}
}

// TestScaleAndCompareJSON: scale's and compare's JSON hold their data:
// scale's points and fit, compare's files and each case's speed.
func TestScaleAndCompareJSON(t *testing.T) {
	stdout, stderr, code := gpubench(t, noGL, "scale", "--kernel", "saxpy", "--size", "64Ki", "--workers", "1,2", "--reps", "3", "--format", "json", "-q")
	var s struct {
		Kernel string `json:"kernel"`
		Points []struct {
			Workers int     `json:"workers"`
			Speedup float64 `json:"speedup"`
		} `json:"points"`
	}
	if err := json.Unmarshal([]byte(stdout), &s); code != 0 || err != nil || s.Kernel != "saxpy" || len(s.Points) != 2 ||
		s.Points[0].Workers != 1 || s.Points[1].Workers != 2 || s.Points[0].Speedup <= 0 {
		t.Errorf("scale --format json: exit %d, %v, %+v, stderr %q:\n%s", code, err, s, stderr, stdout)
	}
	stdout, stderr, code = gpubench(t, noGL, "compare", golden("v1.json"), golden("v1.json"), "--format", "json")
	var c struct {
		Files []struct {
			Path string `json:"path"`
		} `json:"files"`
		Cases []struct {
			Case  string `json:"case"`
			Times []*struct {
				MedianNs float64 `json:"median_ns"`
			} `json:"times"`
			Speed []float64 `json:"speed"`
		} `json:"cases"`
		Partial []any `json:"partial"`
	}
	if err := json.Unmarshal([]byte(stdout), &c); code != 0 || err != nil || len(c.Files) != 2 || c.Files[1].Path != golden("v1.json") ||
		len(c.Cases) == 0 || c.Partial == nil {
		t.Fatalf("compare --format json: exit %d, %v, %+v, stderr %q:\n%s", code, err, c, stderr, stdout)
	}
	for _, r := range c.Cases {
		if r.Case == "" || len(r.Times) != 2 || r.Times[0] == nil || r.Times[1] == nil || r.Times[0].MedianNs <= 0 || len(r.Speed) != 2 || r.Speed[1] != 1 {
			t.Errorf("compare of a file with itself: case %+v, want its name, both times and a speed of 1", r)
		}
	}
}

// TestVersionWithoutTemplate: --version prints "gpubench <version>"
// and exits 0; stdout on a full disk is an output error (4), as for any
// command.
func TestVersionWithoutTemplate(t *testing.T) {
	// -v as cobra gave it; the other global flags are not checked when
	// all that is asked is the version.
	for _, args := range [][]string{{"--version"}, {"-v"}, {"--version", "--workers", "-1"}} {
		stdout, stderr, code := gpubench(t, noGL, args...)
		if code != exitOK || !strings.HasPrefix(stdout, "gpubench ") || strings.Count(stdout, "\n") != 1 {
			t.Errorf("%v: exit %d, %q, stderr %q", args, code, stdout, stderr)
		}
	}
	if _, stderr, code := gpubenchTo(t, "/dev/full", noGL, "--version"); code != exitIO || !strings.Contains(stderr, "no space left") {
		t.Errorf("--version > /dev/full: exit %d, stderr %q; want 4", code, stderr)
	}
}

// TestCompletion: the shell completion that 'gpubench completion'
// installs completes kernel, backend, dtype, format and CPU level names,
// through cobra's __complete command (what the shell scripts call).
func TestCompletion(t *testing.T) {
	for _, c := range []struct {
		args []string
		want []string
		not  []string
	}{
		{[]string{"run", "--kernel", "sa"}, []string{"saxpy"}, []string{"sum"}},
		{[]string{"run", "--kernel", "saxpy,d"}, []string{"saxpy,dot"}, []string{"saxpy,sum"}},
		{[]string{"crossover", "--kernel", ""}, []string{"copy", "gemm", "fma", "all"}, nil},
		{[]string{"run", "--backend", ""}, []string{"cpu", "cpu/generic", "cpu/all", "gl", "gonum", "auto", "all"}, nil},
		{[]string{"transfer", "--backend", "g"}, []string{"gl", "gonum"}, []string{"cpu"}},
		{[]string{"scale", "--dtype", "float"}, []string{"float32", "float64"}, nil},
		{[]string{"run", "--format", ""}, []string{"table", "json", "csv", "benchfmt"}, nil},
		{[]string{"roofline", "--format", ""}, []string{"table", "json"}, []string{"csv"}},
		{[]string{"info", "--format", "j"}, []string{"json"}, []string{"table"}},
		{[]string{"compare", "--format", ""}, []string{"table", "json"}, nil},
		{[]string{"--cpu-disable", ""}, nil, []string{"generic", "all"}},
		{[]string{"list", "--cpu-disable", "avx"}, nil, []string{"generic", "neon"}},
	} {
		var out bytes.Buffer
		args := append([]string{"__complete"}, c.args...)
		if code := run(context.Background(), harness.NewEnv(newBackends(gl.Isolation{})), args, &out, io.Discard); code != exitOK {
			t.Errorf("%v: exit %d", args, code)
			continue
		}
		lines := strings.Split(strings.TrimSpace(out.String()), "\n")
		names := lines[:len(lines)-1] // the last line is cobra's directive
		for _, w := range c.want {
			if !slices.Contains(names, w) {
				t.Errorf("%v completes %q, lacking %q", c.args, names, w)
			}
		}
		for _, n := range c.not {
			if slices.Contains(names, n) {
				t.Errorf("%v completes %q, holding %q", c.args, names, n)
			}
		}
		if len(names) == 0 && c.want != nil {
			t.Errorf("%v completes nothing", c.args)
		}
	}
	// The CPU levels are those this machine's cpu backend has.
	var out bytes.Buffer
	r := newBackends(gl.Isolation{})
	run(context.Background(), harness.NewEnv(r), []string{"__complete", "--cpu-disable", ""}, &out, io.Discard)
	for _, l := range strings.Split(strings.TrimSpace(out.String()), "\n") {
		if strings.HasPrefix(l, ":") {
			continue
		}
		if r.Probe("cpu/"+l, compute.Options{Device: -1}) != nil {
			t.Errorf("--cpu-disable completes %q, not a level of this cpu backend", l)
		}
	}
}
