package results

import (
	"encoding/binary"
	"encoding/json"
	"errors"
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
	Kernel  compute.Kernel    `json:"kernel"`
	Backend string            `json:"backend"`
	Shape   Shape             `json:"shape"`
	DType   compute.DType     `json:"dtype"`
	Alpha   float64           `json:"alpha"`
	Beta    float64           `json:"beta"`
	Inputs  map[string]string `json:"inputs"`
	Output  string            `json:"output"`
}

// NewDumper makes dir (and its parents) and checks that its index.json
// can be written (CheckWritable), so that a directory that cannot take
// the dump fails before any case runs, with a *compute.FieldError of
// Field "Dump" (the harness's Config.Dump) wrapping compute.ErrUsage.
// Each file is written as WriteAtomic writes: regular files only, a
// symlink followed.
func NewDumper(dir string) (*Dumper, error) {
	bad := func(err error) error {
		return &compute.FieldError{Field: "Dump", Value: dir, Msg: err.Error(), Err: compute.ErrUsage}
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, bad(err)
	}
	if err := CheckWritable(filepath.Join(dir, "index.json")); err != nil {
		return nil, bad(err)
	}
	return &Dumper{Dir: dir}, nil
}

// Continue takes up the cases of the index.json already in d's folder,
// which a run that died before this one (a supervised child that a GPU
// driver took down) wrote: their files are there, and this run's
// index.json goes on listing them. A folder without one is no error.
func (d *Dumper) Continue() error {
	b, err := os.ReadFile(filepath.Join(d.Dir, "index.json"))
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return err
	}
	var idx struct {
		Cases []DumpCase `json:"cases"`
	}
	if err := json.Unmarshal(b, &idx); err != nil {
		return fmt.Errorf("%s: %w", filepath.Join(d.Dir, "index.json"), err)
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Cases = append(idx.Cases, d.Cases...)
	return nil
}

// Start writes an index.json of no case, in place of any in d's folder.
func (d *Dumper) Start() error {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Cases = nil
	return d.writeIndex()
}

// Dump writes one case, the inputs of seed and the result got (in p's
// dtype); it is the harness's Config.Dump. Each input is
// drawn again from its seeded stream (ref.NewStream, as the harness drew
// it for the upload) a block at a time straight into its file, and got
// is written from where it lies, so that a dump holds no operand whole
// beyond the result the harness holds anyway: the files are the bytes
// that were uploaded and downloaded.
func (d *Dumper) Dump(p compute.Problem, backend string, seed uint64, got compute.Host) error {
	k := p.Kernel
	base := fmt.Sprintf("%s_%s_%s_%s", k, strings.ReplaceAll(backend, "/", "-"), p.Shape.Format(k), p.DType)
	dc := DumpCase{Kernel: k, Backend: backend, Shape: Shape{p.Shape}, DType: p.DType,
		Alpha: p.Alpha, Beta: p.Beta, Inputs: map[string]string{}}
	for _, name := range k.Inputs() {
		file := base + "_" + name + ".npy"
		st := ref.NewStream(p, name, seed)
		if err := writeNPY(filepath.Join(d.Dir, file), p.DType, operandDims(p, name), st.Fill); err != nil {
			return err
		}
		dc.Inputs[name] = file
	}
	dc.Output = base + "_out.npy"
	if err := writeNPY(filepath.Join(d.Dir, dc.Output), p.DType, operandDims(p, "out"), hostSource(got)); err != nil {
		return err
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	d.Cases = append(d.Cases, dc)
	return d.writeIndex()
}

// writeIndex writes index.json of d.Cases. Call with d.mu held.
func (d *Dumper) writeIndex() error {
	b, err := json.MarshalIndent(struct {
		Cases []DumpCase `json:"cases"`
	}{d.Cases}, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(d.Dir, "index.json"), append(b, '\n'))
}

// hostSource reads h in order, a block at a time, as writeNPY's next.
func hostSource(h compute.Host) func([]float64) {
	off := 0
	return func(dst []float64) {
		h.Widen(dst[:0], off, off+len(dst))
		off += len(dst)
	}
}

// operandDims is the NumPy shape of an operand of p: matrices as 2-D
// arrays.
func operandDims(p compute.Problem, name string) []int {
	s, gemm := p.Shape, p.Kernel.Form() == compute.GEMMForm
	switch {
	case name == "A" && gemm:
		return []int{s.M, s.K}
	case name == "A":
		return []int{s.M, s.N}
	case name == "B":
		return []int{s.K, s.N}
	case name == "C", name == "out" && gemm:
		return []int{s.M, s.N}
	case name == "out" && p.Kernel == compute.Transpose:
		return []int{s.N, s.M}
	}
	return []int{p.OperandLen(name)}
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
	return WriteAtomic(path, func(w io.Writer) error {
		pre := binary.LittleEndian.AppendUint16([]byte("\x93NUMPY\x01\x00"), uint16(len(header)))
		if _, err := w.Write(append(pre, header...)); err != nil {
			return err
		}
		size := dt.Size()
		vals := make([]float64, NPYBlock/size)
		block := make([]byte, 0, NPYBlock)
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

// NPYBlock is how many bytes of elements a dump converts per write; it
// works in that and twice that again of float64 (float32 elements), all
// a dump adds to a case's memory.
const NPYBlock = 64 << 10
