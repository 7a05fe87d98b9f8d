// Package atomicfile writes files whole or not at all: to a temporary
// file beside the target, renamed over it. The results files and the
// probe's pinned clock both write this way.
package atomicfile

import (
	"io"
	"os"
	"path/filepath"
)

// WriteFile writes data to a temporary file beside path and renames
// it over path, so that a reader never sees half a file. The file gets
// the mode of the one it replaces, or 0644 (as os.WriteFile would, less
// the umask it cannot read) for a new one: CreateTemp's 0600 would hide
// results from the other users of a shared machine.
func WriteFile(path string, data []byte) error {
	return Write(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// Write is WriteFile for contents that write calls out to
// the file piece by piece.
func Write(path string, write func(io.Writer) error) error {
	mode := os.FileMode(0o644)
	if st, err := os.Stat(path); err == nil {
		mode = st.Mode().Perm()
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return err
	}
	werr := write(f)
	merr := f.Chmod(mode)
	serr := f.Sync()
	cerr := f.Close()
	if err := firstErr(werr, merr, serr, cerr); err != nil {
		os.Remove(f.Name())
		return err
	}
	if err := os.Rename(f.Name(), path); err != nil {
		os.Remove(f.Name())
		return err
	}
	return nil
}

func firstErr(errs ...error) error {
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return nil
}
