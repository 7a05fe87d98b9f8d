//go:build linux

package results

import (
	"errors"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestWriteThroughSymlinks: a symlink is followed, relative or absolute
// and in chains, and its target replaced atomically with its mode kept;
// the link stays a link. A link that points nowhere yet makes its
// target.
func TestWriteThroughSymlinks(t *testing.T) {
	dir := t.TempDir()
	real := filepath.Join(dir, "sub", "real.json")
	if err := os.MkdirAll(filepath.Dir(real), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(real, []byte("old"), 0o640); err != nil {
		t.Fatal(err)
	}
	rel := filepath.Join(dir, "rel.json")     // → sub/real.json
	chain := filepath.Join(dir, "chain.json") // → rel.json
	for link, to := range map[string]string{rel: "sub/real.json", chain: rel} {
		if err := os.Symlink(to, link); err != nil {
			t.Fatal(err)
		}
	}
	for _, via := range []string{rel, chain} {
		if err := WriteFileAtomic(via, []byte("new via "+via)); err != nil {
			t.Fatalf("write via %s: %v", via, err)
		}
		if b, _ := os.ReadFile(real); string(b) != "new via "+via {
			t.Errorf("target after a write via %s: %q", via, b)
		}
		if st, err := os.Lstat(via); err != nil || st.Mode()&os.ModeSymlink == 0 {
			t.Errorf("%s is no longer a symlink: %v", via, err)
		}
	}
	if st, _ := os.Stat(real); st.Mode().Perm() != 0o640 {
		t.Errorf("target's mode %04o, want the 0640 it had", st.Mode().Perm())
	}
	dangling := filepath.Join(dir, "dangling.json")
	made := filepath.Join(dir, "sub", "made.json")
	if err := os.Symlink(made, dangling); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(dangling, []byte("x")); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(made); err != nil || string(b) != "x" {
		t.Errorf("a dangling link's target: %q, %v", b, err)
	}
	loop := filepath.Join(dir, "loop")
	if err := os.Symlink(loop, loop); err != nil {
		t.Fatal(err)
	}
	if err := WriteFileAtomic(loop, nil); err == nil || !strings.Contains(err.Error(), "symlinks") {
		t.Errorf("a link to itself: %v", err)
	}
}

// TestRefuseNonRegular: a directory, a named pipe, a device and a
// read-only file are refused by CheckWritable and WriteAtomic alike,
// each named, and none is touched (a write to a FIFO would block).
func TestRefuseNonRegular(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "fifo")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Fatal(err)
	}
	ro := filepath.Join(dir, "ro.json")
	if err := os.WriteFile(ro, []byte("keep"), 0o444); err != nil {
		t.Fatal(err)
	}
	link := filepath.Join(dir, "to-fifo")
	if err := os.Symlink(fifo, link); err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		dir: "is a directory", fifo: "is a named pipe (FIFO)", link: "is a named pipe (FIFO)",
		"/dev/null": "is a device", ro: "is read-only (mode 0444)",
	} {
		if err := CheckWritable(path); err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("CheckWritable(%s) = %v; want %q", path, err, want)
		}
		if err := WriteFileAtomic(path, []byte("x")); !errors.Is(err, ErrWrite) || !strings.Contains(err.Error(), want) {
			t.Errorf("WriteFileAtomic(%s) = %v; want ErrWrite and %q", path, err, want)
		}
	}
	if b, _ := os.ReadFile(ro); string(b) != "keep" {
		t.Errorf("the read-only file now holds %q", b)
	}
	if st, err := os.Lstat(fifo); err != nil || st.Mode()&os.ModeNamedPipe == 0 {
		t.Errorf("the FIFO was replaced: %v", err)
	}
	if err := CheckWritable(filepath.Join(dir, "missing", "r.json")); err == nil || !strings.Contains(err.Error(), "cannot create a file in") {
		t.Errorf("a missing folder: %v", err)
	}
}
