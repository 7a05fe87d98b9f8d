package main

import (
	"bytes"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/gpubench/gpubench/harness"
)

// TestProgressSilentWhenNotTerminal: a buffer, a pipe and a regular file
// get no progress line at all, so nothing can be drawn on them; nor does
// a terminal under --quiet.
func TestProgressSilentWhenNotTerminal(t *testing.T) {
	t.Parallel()
	o := defaultRunOptions(&globals{})
	if o.progress(&bytes.Buffer{}) != nil {
		t.Error("progress on a bytes.Buffer")
	}
	r, w, err := os.Pipe()
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	defer w.Close()
	if o.progress(w) != nil {
		t.Error("progress on a pipe")
	}
	f, err := os.Create(t.TempDir() + "/log")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if o.progress(f) != nil {
		t.Error("progress on a regular file")
	}
	var none *progressLine
	if none.updater() != nil {
		t.Error("a nil line gives the harness a Progress to call")
	}
	none.stop() // does nothing, and does not panic
}

// TestProgressLine: nothing before progressAfter, then the case, n of m,
// the elapsed time and an ETA from the cost left at the pace of the cost
// done, not from the cases left; a redraw during a case counts it down.
func TestProgressLine(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	now := time.Unix(0, 0)
	pl := newProgress(&buf, func() time.Time { return now }, progressAfter)
	now = now.Add(progressAfter / 2)
	pl.update(harness.Progress{Done: 0, Total: 4, Case: "saxpy/1000/float32", Backend: "cpu", TotalCost: 10})
	if buf.Len() != 0 {
		t.Fatalf("drew %q before %v", buf.String(), progressAfter)
	}
	// Half the cases are done in 10 s, but only 2 of the 10 of cost: the
	// 8 left take 40 s at that pace (a count of cases would say 10 s).
	now = time.Unix(10, 0)
	pl.update(harness.Progress{Done: 2, Total: 4, Case: "gemm/512x512x512/float32", Backend: "cpu", DoneCost: 2, TotalCost: 10})
	got := buf.String()
	for _, want := range []string{"[3/4]", "gemm/512x512x512/float32", "on cpu", "10s", "ETA 40s"} {
		if !strings.Contains(got, want) {
			t.Errorf("progress line %q lacks %q", got, want)
		}
	}
	buf.Reset()
	now = now.Add(5 * time.Second)
	pl.mu.Lock()
	pl.draw()
	pl.mu.Unlock()
	if got := buf.String(); !strings.Contains(got, "[3/4]") || !strings.Contains(got, "15s") || !strings.Contains(got, "ETA 35s") {
		t.Errorf("redrawn 5 s into the case: %q, want 15s elapsed and ETA 35s", got)
	}
}

// lockedBuffer is a bytes.Buffer safe for the redrawing goroutine and
// the test.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// TestProgressRedraws: during a case that does not end, the line is
// drawn again and again, and stop clears it.
func TestProgressRedraws(t *testing.T) {
	var buf lockedBuffer
	pl := newProgress(&buf, time.Now, 0)
	pl.redrawEvery(time.Millisecond)
	pl.update(harness.Progress{Total: 1, Case: "gemm/4096x4096x4096/float32", Backend: "gl", TotalCost: 1})
	for deadline := time.Now().Add(10 * time.Second); strings.Count(buf.String(), "[1/1]") < 3; {
		if time.Now().After(deadline) {
			t.Fatalf("drawn %d times in 10 s: %q", strings.Count(buf.String(), "[1/1]"), buf.String())
		}
		time.Sleep(time.Millisecond)
	}
	pl.stop()
	if !strings.HasSuffix(buf.String(), "\r\033[K") {
		t.Errorf("stop did not clear the line: %q", buf.String())
	}
}
