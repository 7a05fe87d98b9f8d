package results

import (
	"errors"
	"fmt"
	"io"

	"github.com/gpubench/gpubench/internal/atomicfile"
)

// ErrWrite marks a file gpubench could not write once it had started:
// the disk (full, gone, taken away), not the command line.
var ErrWrite = errors.New("cannot write")

// WriteFileAtomic writes data to path whole or not at all
// (atomicfile.WriteFile: regular files only, through symlinks, keeping
// the mode of the file it replaces). Its errors wrap ErrWrite.
func WriteFileAtomic(path string, data []byte) error {
	return WriteAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// WriteAtomic is WriteFileAtomic for contents that write calls out to
// the file piece by piece.
func WriteAtomic(path string, write func(io.Writer) error) error {
	if err := atomicfile.Write(path, write); err != nil {
		return fmt.Errorf("%w: %w", ErrWrite, err)
	}
	return nil
}

// CheckWritable says, before any work, whether WriteAtomic could write
// path (atomicfile.CheckWritable).
func CheckWritable(path string) error { return atomicfile.CheckWritable(path) }
