package main

import (
	"bytes"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// TestProgressSilentWhenNotTerminal: a buffer, a pipe and a regular file
// get no progress function at all, so nothing can be drawn on them.
func TestProgressSilentWhenNotTerminal(t *testing.T) {
	if progress(&bytes.Buffer{}) != nil {
		t.Error("progress on a bytes.Buffer")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if progress(w) != nil {
		t.Error("progress on a pipe")
	}
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if progress(f) != nil {
		t.Error("progress on a regular file")
	}
}

// TestProgressLine: nothing before progressAfter, then the case, n of m,
// the elapsed time and an ETA from the share of cases left.
func TestProgressLine(t *testing.T) {
	c := compute.Problem{Kernel: compute.Saxpy, Shape: compute.Vec(1000), DType: compute.Float32}
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	p := newProgress(&buf, func() time.Time { return now }, progressAfter)
	now = now.Add(progressAfter / 2)
	p(0, 4, c, "cpu")
	if buf.Len() != 0 {
		t.Fatalf("drew %q before %v", buf.String(), progressAfter)
	}
	now = time.Unix(10, 0)
	p(2, 4, c, "cpu")
	got := buf.String()
	for _, want := range []string{"[3/4]", c.String(), "on cpu", "10s", "ETA 10s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
}
