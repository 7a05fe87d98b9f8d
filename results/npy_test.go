package results

import (
	"encoding/binary"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestWriteNPYBlocks: writeNPY writes an operand longer than one block,
// in both dtypes, as the header says and value for value (float32
// rounded to nearest), with nothing after the last element.
func TestWriteNPYBlocks(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, dt := range compute.DTypes() {
		n := 2*NPYBlock/dt.Size() + 5 // two whole blocks and a partial one
		v := make([]float64, n)
		for i := range v {
			v[i] = r.NormFloat64()
		}
		v[1], v[n-1] = math.Inf(-1), math.NaN()
		path := filepath.Join(t.TempDir(), "x.npy")
		if err := writeNPY(path, dt, []int{n}, hostSource(compute.HostOf(v))); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		hl := int(binary.LittleEndian.Uint16(raw[8:10]))
		header, data := string(raw[10:10+hl]), raw[10+hl:]
		descr := map[compute.DType]string{compute.Float32: "'<f4'", compute.Float64: "'<f8'"}[dt]
		if !strings.Contains(header, descr) || !strings.Contains(header, fmt.Sprintf("'shape': (%d,)", n)) {
			t.Fatalf("%s: header %q", dt, header)
		}
		if len(data) != n*dt.Size() {
			t.Fatalf("%s: %d bytes of data, want %d", dt, len(data), n*dt.Size())
		}
		for i, want := range v {
			var got float64
			if dt == compute.Float64 {
				got = math.Float64frombits(binary.LittleEndian.Uint64(data[8*i:]))
			} else {
				got = float64(math.Float32frombits(binary.LittleEndian.Uint32(data[4*i:])))
				want = float64(float32(want))
			}
			if got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("%s: element %d = %v, want %v", dt, i, got, want)
			}
		}
	}
}

// TestNewDumperFieldError: a directory that cannot take the dump is a
// FieldError of the harness's field, Dump, that names no flag: the CLI
// names its own.
func TestNewDumperFieldError(t *testing.T) {
	file := filepath.Join(t.TempDir(), "file")
	if err := os.WriteFile(file, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := NewDumper(filepath.Join(file, "d"))
	var fe *compute.FieldError
	if !errors.As(err, &fe) || fe.Field != "Dump" || fe.Value != filepath.Join(file, "d") || !errors.Is(err, compute.ErrUsage) ||
		fe.Msg == "" || strings.Contains(err.Error(), "--") {
		t.Errorf("NewDumper under a file: %#v", err)
	}
}
