package atomicfile

import (
	"errors"
	"io"
	"os"
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
// target are removed by the next write into that folder, but not one
// another process holds locked (a run writing now), nor files of other
// names.
func TestRemoveStale(t *testing.T) {
	dir := t.TempDir()
	stale := filepath.Join(dir, ".r.json.tmp-123456")
	other := filepath.Join(dir, ".other.csv.tmp-42")
	notOurs := filepath.Join(dir, ".r.json.tmp-abc")
	for _, p := range []string{stale, other, notOurs} {
		if err := os.WriteFile(p, []byte("half"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	live, err := createLocked(dir, ".live.json.tmp-*")
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	// flock locks belong to an open file, not a process: the cleaner's
	// own open of the live file cannot take its lock.
	if err := WriteFile(filepath.Join(dir, "r.json"), []byte("{}")); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{stale, other} {
		if _, err := os.Stat(p); !errors.Is(err, os.ErrNotExist) {
			t.Errorf("%s is still there: %v", filepath.Base(p), err)
		}
	}
	for _, p := range []string{notOurs, live.Name()} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s was removed: %v", filepath.Base(p), err)
		}
	}
}
