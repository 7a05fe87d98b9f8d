package computetest

import (
	"testing"
	"time"
)

// TestGoroutines: a goroutine started after the snapshot is found by ID
// while it runs, even when an older one exits meanwhile (the count
// stays the same), and is gone once it returns.
func TestGoroutines(t *testing.T) {
	old := make(chan struct{})
	go func() { <-old }()
	before := LiveGoroutines()
	if len(before) < 2 {
		t.Fatalf("snapshot has %d goroutines, want the test's and the old one", len(before))
	}
	close(old) // the old one exits; the count alone would hide the new one
	stop := make(chan struct{})
	exited := make(chan struct{})
	go func() { <-stop; close(exited) }()
	if got := before.Started(); len(got) != 1 {
		t.Fatalf("Started found %d goroutines, want 1:\n%v", len(got), got)
	}
	if left := before.WaitExited(10 * time.Millisecond); len(left) != 1 {
		t.Fatalf("WaitExited with one running left %d, want 1", len(left))
	}
	close(stop)
	<-exited
	if left := before.WaitExited(time.Second); len(left) != 0 {
		t.Fatalf("WaitExited after it returned left %d:\n%v", len(left), left)
	}
}
