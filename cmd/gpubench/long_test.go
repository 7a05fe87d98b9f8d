package main

import (
	"strings"
	"testing"
)

// TestRefusedPastADay: a setting that makes a run take past a day is
// refused before anything runs, with exit 2, the flag, the estimate and
// the way to allow it; --long is taken, and the usual settings run.
func TestRefusedPastADay(t *testing.T) {
	t.Parallel()
	cpu := []string{"--backend", "cpu", "-q"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"run", "--reps", "1000000000", "--size", "16"}, "--reps 1000000000: would take at least 11 days"},
		{[]string{"run", "--warmup", "1000000000", "--kernel", "gemm", "--size", "4096"}, "--warmup 1000000000: would take at least"},
		{[]string{"run", "--min-warmup-time", "1000h"}, "--min-warmup-time 1000h0m0s: would take at least 41 days"},
		{[]string{"run", "--min-rep-time", "1000h"}, "--min-rep-time 1000h0m0s: would take at least"},
		{[]string{"roofline", "--reps", "1000000000"}, "--reps 1000000000: would take at least"},
		{[]string{"scale", "--kernel", "dot", "--size", "16", "--reps", "1000000000"}, "--reps 1000000000: would take at least"},
	} {
		_, stderr, code := gpubench(t, noGL, append(c.args, cpu...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || !strings.Contains(stderr, "pass --long to allow runs past a day") {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", c.args, code, stderr, exitUsage, c.want)
		}
	}
	if _, stderr, code := gpubench(t, noGL, append([]string{"--long"}, quickRun...)...); code != exitOK {
		t.Errorf("--long with a quick run: exit %d, %s", code, stderr)
	}
}
