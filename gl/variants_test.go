//go:build cgo

package gl

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
	"github.com/gpubench/gpubench/shaders"
)

// glslang finds glslangValidator (Debian glslang-tools), skipping the
// test without it unless EnvRequire=1.
func glslang(t *testing.T) string {
	t.Helper()
	path, err := exec.LookPath("glslangValidator")
	if err != nil {
		if os.Getenv(EnvRequire) == "1" {
			t.Fatalf("glslangValidator not found (%s=1; install glslang-tools): %v", EnvRequire, err)
		}
		t.Skipf("glslangValidator not found (install glslang-tools): %v", err)
	}
	return path
}

// TestVariants checks every specialisation the backend can compile, in
// each dtype the device has: glslangValidator accepts the specialised
// source offline (the reference front end, stricter than some drivers),
// and the driver compiles and links it.
func TestVariants(t *testing.T) {
	b := openOrSkip(t)
	validator := glslang(t)
	dir := t.TempDir()
	for _, dt := range b.dev.DTypes {
		for i, v := range tune(b.gpu, dt).variants(dt) {
			name := v.name + "/" + dt.String() + "/" + defines(v.defines)
			src, err := shaders.Source(v.name)
			if err != nil {
				t.Fatal(err)
			}
			src = specialise(src, v.defines)
			file := filepath.Join(dir, dt.String()+"-"+v.name+"-"+itoa(i)+".comp")
			if err := os.WriteFile(file, []byte(src), 0o644); err != nil {
				t.Fatal(err)
			}
			if out, err := exec.Command(validator, "-S", "comp", file).CombinedOutput(); err != nil {
				t.Errorf("glslangValidator rejects %s: %v\n%s\nsource:\n%s", name, err, out, numbered(src))
			}
			if err := b.do(func() error { _, err := b.program(v.name, v.defines); return err }); err != nil {
				t.Errorf("the driver rejects %s: %v", name, err)
			}
		}
	}
}

// TestVariantsCoverLaunches runs launches that take every path of
// launch (both reductions' passes, gemm with and without its 4-vector
// loads) and checks that each program compiled is one of variants: a
// specialisation added to launch but not to variants would escape
// TestVariants.
func TestVariantsCoverLaunches(t *testing.T) {
	b := openOrSkip(t)
	shapes := map[compute.Form][]compute.Shape{
		compute.VectorForm: {compute.Vec(5000)},
		compute.MatrixForm: {compute.Mat(33, 70)},
		compute.GEMMForm:   {compute.MNK(5, 8, 8), compute.MNK(5, 7, 8), compute.MNK(5, 8, 7), compute.MNK(5, 7, 7)},
		compute.ChainForm:  {compute.Chain(300, 9)},
	}
	for _, dt := range b.dev.DTypes {
		for _, k := range compute.Kernels() {
			ss, ok := shapes[k.Form()]
			if !ok {
				t.Errorf("no shape for %s's form %d: add one", k, k.Form())
			}
			for _, s := range ss {
				p := problem(k, s, dt)
				if err := computetest.Check(b, p, 1); err != nil {
					t.Errorf("%v: %v", p, err)
				}
			}
		}
	}
	if _, err := b.DispatchLatency(1); err != nil {
		t.Fatal(err)
	}
	listed := map[progKey]bool{}
	for _, dt := range b.dev.DTypes {
		for _, v := range tune(b.gpu, dt).variants(dt) {
			listed[progKey{v.name, defines(v.defines)}] = true
		}
	}
	var missing []string
	b.do(func() error {
		for key := range b.progs {
			if !listed[key] {
				missing = append(missing, key.name+" ("+key.defines+")")
			}
		}
		return nil
	})
	if len(missing) > 0 {
		t.Errorf("launch compiled programs that variants does not list:\n%s", strings.Join(missing, "\n"))
	}
}
