package atomicfile

import (
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

// TestWrite: a new file gets 0644 and the data; a rewrite keeps the
// replaced file's mode; a write that fails leaves the old file as it was
// and no temporary file beside it.
func TestWrite(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "f.json")
	check := func(want string, mode os.FileMode) {
		t.Helper()
		b, err := os.ReadFile(path)
		if err != nil || string(b) != want {
			t.Fatalf("contents %q (%v), want %q", b, err, want)
		}
		st, err := os.Stat(path)
		if err != nil || st.Mode().Perm() != mode {
			t.Fatalf("mode %v (%v), want %v", st.Mode().Perm(), err, mode)
		}
		if ents, _ := os.ReadDir(dir); len(ents) != 1 {
			t.Fatalf("%d files in the folder, want 1", len(ents))
		}
	}
	if err := WriteFile(path, []byte("one")); err != nil {
		t.Fatal(err)
	}
	check("one", 0o644)
	if err := os.Chmod(path, 0o600); err != nil {
		t.Fatal(err)
	}
	if err := WriteFile(path, []byte("two")); err != nil {
		t.Fatal(err)
	}
	check("two", 0o600)
	boom := errors.New("boom")
	err := Write(path, func(w io.Writer) error {
		io.WriteString(w, "half")
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatalf("Write returned %v, want the writer's error", err)
	}
	check("two", 0o600)
}

// TestRemoveStale: the temporary files a killed run left beside a
// target are removed by the next write to that target, but not one whose
// process is alive (a run writing now), nor another target's, nor files
// this package did not name: a user's .thesis.tex.tmp-42 stays.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	dead := deadPID(t)
	live := exec.Command("cat")
	stdin, err := live.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := live.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stdin.Close(); live.Wait() })

	name := func(f string, a ...any) string { return filepath.Join(dir, fmt.Sprintf(f, a...)) }
	stale := name(".r.json.gpubench-tmp-%d-123456", dead)
	keep := []string{
		name(".r.json.gpubench-tmp-%d-777", live.Process.Pid), // a live run's
		name(".other.csv.gpubench-tmp-%d-42", dead),           // another target's
		name(".thesis.tex.tmp-42"),                            // a user's
		name(".r.json.tmp-123456"),                            // not of our naming
		name(".r.json.gpubench-tmp-%d-12x", dead),
	}
	for _, p := range append([]string{stale}, keep...) {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := WriteFile(filepath.Join(dir, "r.json"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(stale); !errors.Is(err, os.ErrNotExist) {
		t.Errorf("%s is still there: %v", filepath.Base(stale), err)
	}
	for _, p := range keep {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}

// TestRemoveStaleLocked: a temporary file held locked is kept even
// where its process id names no process (flock locks belong to an open
// file, not a process: the cleaner's own open cannot take its lock).
func TestRemoveStaleLocked(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "r.json")
	f, err := createLocked(dir, fmt.Sprintf(".r.json.gpubench-tmp-%d-*", deadPID(t)))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	removeStale(target)
	if _, err := os.Stat(f.Name()); err != nil {
		t.Errorf("the locked file was removed: %v", err)
	}
}

// TestTempName: Write's temporary file carries the target's name, the
// marker and this process's id.
func TestTempName(t *testing.T) {
	dir := t.TempDir()
	target := filepath.Join(dir, "r.json")
	var seen string
	err := Write(target, func(io.Writer) error {
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			seen = e.Name()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pid, ok := tempOwner(target, seen); !ok || pid != os.Getpid() {
		t.Errorf("temporary file %q: owner %d, %v; want this process, %d", seen, pid, ok, os.Getpid())
	}
}

// deadPID is the id of a process that has ended.
func deadPID(t *testing.T) int {
	t.Helper()
	c := exec.Command("true")
	if err := c.Run(); err != nil {
		t.Fatal(err)
	}
	return c.Process.Pid
}
