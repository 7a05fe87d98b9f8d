package results

import (
	"io"

	"github.com/gpubench/gpubench/internal/atomicfile"
)

// WriteFileAtomic writes data to a temporary file beside path and renames
// it over path, so that a reader never sees half a file; the file keeps
// the mode of the one it replaces, or gets 0644 (atomicfile.WriteFile).
func WriteFileAtomic(path string, data []byte) error {
	return atomicfile.WriteFile(path, data)
}

// WriteAtomic is WriteFileAtomic for contents that write calls out to
// the file piece by piece.
func WriteAtomic(path string, write func(io.Writer) error) error {
	return atomicfile.Write(path, write)
}
