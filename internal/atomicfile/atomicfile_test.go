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
