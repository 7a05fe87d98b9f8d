package harness

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/ref"
	"github.com/gpubench/gpubench/results"
)

// TestDumpIsWhatRan: a dumped case's input files hold exactly the bytes
// the harness uploaded, drawn again from the streams a block at a time,
// and its output file the bytes it downloaded, each in the case's dtype,
// for copy, gemm and gemv at odd sizes longer than a block, checked whole
// (streamed or in gemm's blocks of rows) and sampled. The headers are
// those of every earlier dump (dtype, 2-D matrices, padded to 64 bytes),
// and the inputs those of ref.Inputs, which the dump once wrote whole.
func TestDumpIsWhatRan(t *testing.T) {
	t.Parallel()
	var current *fake
	for _, dt := range compute.DTypes() {
		for _, mode := range []VerifyMode{VerifyAuto, VerifySample} {
			for _, tc := range []struct {
				kernel, size string
				dims         map[string]string // NumPy shape of each file
			}{
				{"copy", "40001", map[string]string{"x": "(40001,)", "out": "(40001,)"}},
				{"gemm", "131x67x129", map[string]string{"A": "(131, 129)", "B": "(129, 67)", "C": "(131, 67)", "out": "(131, 67)"}},
				{"gemv", "129x257", map[string]string{"A": "(129, 257)", "x": "(257,)", "out": "(129,)"}},
			} {
				name := fmt.Sprintf("%s %s %s %s", tc.kernel, tc.size, dt, mode)
				current = &fake{f64: true, record: true}
				dir := t.TempDir()
				d, err := results.NewDumper(dir)
				if err != nil {
					t.Fatal(err)
				}
				cfg := config(&current)
				cfg.Dump, cfg.Verify, cfg.Seed = d.Dump, mode, 7
				k := mustKernel(tc.kernel)
				cases, err := PlanFor([]compute.Kernel{k}, []string{tc.size}, []compute.DType{dt}, cfg)
				if err != nil {
					t.Fatal(err)
				}
				rep, err := Run(context.Background(), cfg, cases)
				if err != nil {
					t.Fatal(err)
				}
				sample := mode == VerifySample && cases[0].OutLen() > SampleSize
				if r := rep.Results[0]; !r.Verified || r.Err != "" || sample != (r.Checked < r.Elements) {
					t.Fatalf("%s: verified %v, %d of %d checked, err %q", name, r.Verified, r.Checked, r.Elements, r.Err)
				}
				var idx struct{ Cases []results.DumpCase }
				b, err := os.ReadFile(filepath.Join(dir, "index.json"))
				if err != nil || json.Unmarshal(b, &idx) != nil || len(idx.Cases) != 1 {
					t.Fatalf("%s: index.json: %v %s", name, err, b)
				}
				c := idx.Cases[0]
				// The inputs, then each check's poison and inputs: the first
				// download is the random check's, the one dumped.
				if len(current.uploads) < len(k.Inputs()) || len(current.downloads) != checkRuns(cases[0]) || len(c.Inputs) != len(k.Inputs()) {
					t.Fatalf("%s: %d uploads, %d downloads, %d inputs dumped", name, len(current.uploads), len(current.downloads), len(c.Inputs))
				}
				s := cases[0].Shape
				files := map[string]compute.Host{"out": current.downloads[0]}
				for i, in := range k.Inputs() {
					files[in] = current.uploads[i]
					want := compute.HostFrom(ref.Inputs(compute.Problem{Kernel: k, Shape: s, DType: dt}, cfg.Seed)[i], dt)
					if !bytes.Equal(littleEndian(want), littleEndian(current.uploads[i])) {
						t.Fatalf("%s: %s uploaded is not ref.Inputs", name, in)
					}
				}
				for op, sent := range files {
					file := c.Output
					if op != "out" {
						file = c.Inputs[op]
					}
					if want := fmt.Sprintf("%s_fake_%s_%s_%s.npy", tc.kernel, tc.size, dt, op); file != want {
						t.Errorf("%s: %s dumped as %q, want %q", name, op, file, want)
					}
					raw, err := os.ReadFile(filepath.Join(dir, file))
					if err != nil {
						t.Fatal(err)
					}
					hl := int(binary.LittleEndian.Uint16(raw[8:10]))
					descr := map[compute.DType]string{compute.Float32: "<f4", compute.Float64: "<f8"}[dt]
					header := fmt.Sprintf("{'descr': '%s', 'fortran_order': False, 'shape': %s, }", descr, tc.dims[op])
					if string(raw[:10+len(header)]) != "\x93NUMPY\x01\x00"+string(raw[8:10])+header ||
						(10+hl)%64 != 0 || strings.TrimLeft(string(raw[10+len(header):10+hl]), " ") != "\n" {
						t.Errorf("%s: %s header %q", name, op, raw[:10+hl])
					}
					if !bytes.Equal(raw[10+hl:], littleEndian(sent)) {
						t.Errorf("%s: %s dumped (%d bytes) is not what the harness sent or got (%d bytes)", name, op, len(raw)-10-hl, len(littleEndian(sent)))
					}
				}
			}
		}
	}
}

// littleEndian is the bytes of h's elements as .npy stores them.
func littleEndian(h compute.Host) []byte {
	var b []byte
	for _, x := range compute.Data[float32](h) {
		b = binary.LittleEndian.AppendUint32(b, math.Float32bits(x))
	}
	for _, x := range compute.Data[float64](h) {
		b = binary.LittleEndian.AppendUint64(b, math.Float64bits(x))
	}
	return b
}
