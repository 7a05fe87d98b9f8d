//go:build openblas && cgo

package peer

import (
	"os"
	"os/exec"
	"runtime"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// TestOpenBLASCore: the backend's level is the core OpenBLAS runs, an
// AVX-512 one on an AVX-512 machine; on Linux amd64 a child started
// with OPENBLAS_CORETYPE=Haswell runs SkylakeX and says it replaced
// Haswell.
func TestOpenBLASCore(t *testing.T) {
	b, err := registry.Open("openblas", compute.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	d := b.Device()
	t.Logf("level %s, notes %q", d.Level, d.Notes)
	cpu := hwinfo.DescribeCPU()
	avx512 := cpu.Has("AVX512F")
	if avx512 && !slices.Contains(avx512Cores, d.Level) {
		t.Errorf("OpenBLAS runs %s on an AVX-512 machine (OPENBLAS_CORETYPE=%q)", d.Level, os.Getenv("OPENBLAS_CORETYPE"))
	}
	if want := os.Getenv("GPUBENCH_OPENBLAS_WANT"); want != "" {
		if d.Level != want || !strings.Contains(strings.Join(d.Notes, " "), "OPENBLAS_CORETYPE=Haswell in the environment was replaced") {
			t.Errorf("child: level %s, notes %q; want %s and the replacement said", d.Level, d.Notes, want)
		}
		return
	}
	if !avx512 || runtime.GOOS != "linux" || runtime.GOARCH != "amd64" {
		return
	}
	cmd := exec.Command(os.Args[0], "-test.run", "^TestOpenBLASCore$", "-test.v")
	cmd.Env = append(os.Environ(), "OPENBLAS_CORETYPE=Haswell", "GPUBENCH_OPENBLAS_WANT=skylakex")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Errorf("child with OPENBLAS_CORETYPE=Haswell: %v\n%s", err, out)
	}
}

func TestCoreNote(t *testing.T) {
	for _, tc := range []struct {
		core   string
		avx512 bool
		warns  bool
	}{{"SkylakeX", true, false}, {"Cooperlake", true, false}, {"Haswell", true, true}, {"Haswell", false, false}} {
		note := coreNote(tc.core, tc.avx512)
		if !strings.Contains(note, "core "+tc.core) || strings.Contains(note, "not an AVX-512 core") != tc.warns {
			t.Errorf("coreNote(%s, avx512 %v) = %q", tc.core, tc.avx512, note)
		}
	}
}
