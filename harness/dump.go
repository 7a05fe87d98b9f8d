package harness

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
)

// Dumper writes each case's inputs (as they were before the kernel ran)
// and its result as NumPy .npy files in a directory, with an index.json
// that says which file is which, so that any tool can check a result.
type Dumper struct {
	Dir   string
	mu    sync.Mutex
	Cases []DumpCase `json:"cases"`
}

// DumpCase is one entry of index.json.
type DumpCase struct {
	Kernel  string            `json:"kernel"`
	Backend string            `json:"backend"`
	Shape   string            `json:"shape"`
	DType   compute.DType     `json:"dtype"`
	Alpha   float64           `json:"alpha"`
	Beta    float64           `json:"beta"`
	Inputs  map[string]string `json:"inputs"`
	Output  string            `json:"output"`
}

// NewDumper makes dir (and its parents) and checks that it is writable,
// so that a bad --dump fails before any case runs.
func NewDumper(dir string) (*Dumper, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("%w: --dump %s: %v", compute.ErrUsage, dir, err)
	}
	f, err := os.CreateTemp(dir, ".probe-*")
	if err != nil {
		return nil, fmt.Errorf("%w: --dump %s is not writable: %v", compute.ErrUsage, dir, err)
	}
	f.Close()
	os.Remove(f.Name())
	return &Dumper{Dir: dir}, nil
}

// Dump writes one case, the inputs of seed and the result got (a
// []float32 or []float64 in c's dtype); it is Config.Dump. Each input is
// drawn again from its seeded stream (ref.NewStream, as the harness drew
// it for the upload) a block at a time straight into its file, and got
// is written from where it lies, so that a dump holds no operand whole
// beyond the result the harness holds anyway: the files are the bytes
// that were uploaded and downloaded.
func (d *Dumper) Dump(c Case, backend string, seed uint64, got any) error {
	k := c.Kernel
	base := fmt.Sprintf("%s_%s_%s_%s", k.Name, strings.ReplaceAll(backend, "/", "-"), c.Shape.Format(k), c.DType)
	dc := DumpCase{Kernel: k.Name, Backend: backend, Shape: c.Shape.Format(k), DType: c.DType,
		Alpha: c.Alpha, Beta: c.Beta, Inputs: map[string]string{}}
	for _, name := range k.Inputs {
		file := base + "_" + name + ".npy"
		st := ref.NewStream(k, name, c.DType, seed)
		if err := writeNPY(filepath.Join(d.Dir, file), c.DType, operandDims(k, name, c.Shape), st.Fill); err != nil {
			return err
		}
		dc.Inputs[name] = file
	}
	dc.Output = base + "_out.npy"
	if err := writeNPY(filepath.Join(d.Dir, dc.Output), c.DType, operandDims(k, "out", c.Shape), sliceSource(got)); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Cases = append(d.Cases, dc)
	b, err := json.MarshalIndent(struct {
		Cases []DumpCase `json:"cases"`
	}{d.Cases}, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(d.Dir, "index.json"), append(b, '\n'))
}

// sliceSource reads s, a []float32 or []float64, in order, a block at a
// time, as writeNPY's next.
func sliceSource(s any) func([]float64) {
	off := 0
	return func(dst []float64) {
		ref.Widen(dst[:0], s, off, off+len(dst))
		off += len(dst)
	}
}

// operandDims is the NumPy shape of an operand: matrices as 2-D arrays.
func operandDims(k *compute.Kernel, name string, s compute.Shape) []int {
	switch {
	case name == "A" && k.Form == compute.GEMMForm:
		return []int{s.M, s.K}
	case name == "A":
		return []int{s.M, s.N}
	case name == "B":
		return []int{s.K, s.N}
	case name == "C", name == "out" && k.Form == compute.GEMMForm:
		return []int{s.M, s.N}
	case name == "out" && k.Name == "transpose":
		return []int{s.N, s.M}
	}
	return []int{k.OperandLen(name, s)}
}

// writeNPY writes an operand of the given shape and dtype as a
// little-endian .npy file (format version 1.0). next sets its argument to
// the operand's next len(argument) elements, in row-major order; writeNPY
// asks for a block at a time and converts it to dt (exactly, for values
// already of dt), so that no operand is ever held whole.
func writeNPY(path string, dt compute.DType, dims []int, next func([]float64)) error {
	descr := "<f4"
	if dt == compute.Float64 {
		descr = "<f8"
	}
	shape := ""
	n := 1
	for _, d := range dims {
		shape += fmt.Sprintf("%d, ", d)
		n *= d
	}
	if len(dims) > 1 {
		shape = strings.TrimSuffix(shape, ", ")
	} else {
		shape = strings.TrimSuffix(shape, " ")
	}
	header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': (%s), }", descr, shape)
	// Magic (6) + version (2) + length (2) + header + '\n', padded with
	// spaces to a multiple of 64 bytes.
	pad := 64 - (10+len(header)+1)%64
	header += strings.Repeat(" ", pad%64) + "\n"
	return writeAtomic(path, func(w io.Writer) error {
		pre := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(header)))
		if _, err := w.Write(append(pre, header...)); err != nil {
			return err
		}
		size := dt.Size()
		vals := make([]float64, npyBlock/size)
		block := make([]byte, 0, npyBlock)
		for n > 0 {
			v := vals[:min(n, len(vals))]
			next(v)
			block = block[:len(v)*size]
			for i, x := range v {
				if dt == compute.Float64 {
					binary.LittleEndian.PutUint64(block[8*i:], math.Float64bits(x))
				} else {
					binary.LittleEndian.PutUint32(block[4*i:], math.Float32bits(float32(x)))
				}
			}
			if _, err := w.Write(block); err != nil {
				return err
			}
			n -= len(v)
		}
		return nil
	})
}

// npyBlock is how many bytes of elements writeNPY converts per write; it
// works in that and twice that again of float64 (float32 elements), all
// a dump adds to a case's memory.
const npyBlock = 64 << 10

// WriteFileAtomic writes data to a temporary file beside path and renames
// it over path, so that a reader never sees half a file. The file gets
// the mode of the one it replaces, or 0644 (as os.WriteFile would, less
// the umask it cannot read) for a new one: CreateTemp's 0600 would hide
// results from the other users of a shared machine.
func WriteFileAtomic(path string, data []byte) error {
	return writeAtomic(path, func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}

// writeAtomic is WriteFileAtomic for contents that write calls out to
// the file piece by piece.
func writeAtomic(path string, write func(io.Writer) error) error {
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
