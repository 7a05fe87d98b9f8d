package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// tree is the scratch copy mutants are applied to: the repository's files
// as they are in the working tree now (tracked, and untracked ones git
// does not ignore, uncommitted edits included), at a fixed path so that
// Go's build cache stays warm between runs and only a mutated package
// compiles again.
type tree struct {
	src, dir string
	files    []string // slash-separated paths from the root
}

// keep are the scratch tree's own folders, which syncing leaves alone:
// the binaries built there.
var keep = map[string]bool{"bin": true, ".cache": true}

// newTree lists the files of the repository at src to copy into dir.
func newTree(src, dir string) (*tree, error) {
	out, err := exec.Command("git", "-C", src, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err != nil {
		return nil, fmt.Errorf("listing the repository's files: %w", err)
	}
	t := &tree{src: src, dir: dir}
	for _, f := range strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00") {
		// A tracked file deleted in the working tree is not part of it.
		if st, err := os.Lstat(filepath.Join(src, f)); err == nil && st.Mode().IsRegular() {
			t.files = append(t.files, f)
		}
	}
	if len(t.files) == 0 {
		return nil, fmt.Errorf("no files in %s", src)
	}
	return t, nil
}

// sync makes dir hold exactly the listed files, as they are in src,
// writing only those that differ: a mutant's edit and what the
// generators wrote are undone, and the rest keeps its build cache.
func (t *tree) sync() error {
	want := make(map[string]bool, len(t.files))
	for _, f := range t.files {
		want[f] = true
		if err := t.copyFile(f); err != nil {
			return err
		}
	}
	return filepath.WalkDir(t.dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(t.dir, path)
		if err != nil || rel == "." {
			return err
		}
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if keep[rel] {
				return filepath.SkipDir
			}
			return nil
		}
		if !want[rel] {
			return os.Remove(path)
		}
		return nil
	})
}

// copyFile copies src's f over dir's where they differ.
func (t *tree) copyFile(f string) error {
	from, to := filepath.Join(t.src, f), filepath.Join(t.dir, f)
	data, err := os.ReadFile(from)
	if err != nil {
		return err
	}
	st, err := os.Stat(from)
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(to); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(to), 0o755); err != nil {
		return err
	}
	// Removed first: a file the last run left read-only is replaced too.
	os.Remove(to)
	return os.WriteFile(to, data, st.Mode().Perm())
}

// mutate applies m to the scratch tree's copy of its file.
func (t *tree) mutate(m *Mutant) error {
	path := filepath.Join(t.dir, filepath.FromSlash(m.File))
	src, err := os.ReadFile(path)
	if err != nil {
		if os.IsNotExist(err) {
			return &StaleError{File: m.File}
		}
		return err
	}
	out, err := m.Apply(src)
	if err != nil {
		return err
	}
	return os.WriteFile(path, out, 0o644)
}
