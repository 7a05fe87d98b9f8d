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
	"github.com/gpubench/gpubench/internal/openblas"
)

// TestOpenBLASCore: the backend's level is the core OpenBLAS runs, an
// AVX-512 one on an AVX-512 machine; where start-up made OpenBLAS choose
// again (OPENBLAS_CORETYPE unset) it runs SkylakeX and the notes say what
// it chose; on Linux amd64 a child started with OPENBLAS_CORETYPE=Haswell
// runs SkylakeX and says it replaced Haswell.
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
	notes := strings.Join(d.Notes, " ")
	if chose, forced := openblas.CoreForced(); forced {
		if _, set := os.LookupEnv("OPENBLAS_CORETYPE"); set {
			t.Errorf("OPENBLAS_CORETYPE left set after start-up forced the core")
		}
		if d.Level != "skylakex" || slices.Contains(avx512Cores, strings.ToLower(chose)) ||
			!strings.Contains(notes, "OpenBLAS chose "+chose+", which is not an AVX-512 core; forced SkylakeX") {
			t.Errorf("forced from %s: level %s, notes %q; want skylakex, a core without AVX-512 replaced, and the notes saying so", chose, d.Level, d.Notes)
		}
	}
	if want := os.Getenv("GPUBENCH_OPENBLAS_WANT"); want != "" {
		if _, forced := openblas.CoreForced(); forced {
			t.Errorf("child: start-up forced the core though OPENBLAS_CORETYPE was set")
		}
		if d.Level != want || !strings.Contains(notes, "OPENBLAS_CORETYPE=Haswell in the environment was replaced") {
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
	unset := coreChoice{}
	for _, tc := range []struct {
		core   string
		avx512 bool
		c      coreChoice
		says   string
		warns  bool
	}{
		{"SkylakeX", true, unset, "OpenBLAS's own choice", false},
		{"Cooperlake", true, unset, "OpenBLAS's own choice", false},
		{"Haswell", true, unset, "OpenBLAS's own choice", true},
		{"Haswell", false, unset, "OpenBLAS's own choice", false},
		{"Haswell", true, coreChoice{was: "Haswell", set: true}, "as OPENBLAS_CORETYPE=Haswell says", true},
		{"SkylakeX", true, coreChoice{was: "Haswell", set: true, replaced: true}, "OPENBLAS_CORETYPE=Haswell in the environment was replaced by SkylakeX", false},
		{"SkylakeX", true, coreChoice{chose: "Prescott", forced: true}, "OpenBLAS chose Prescott, which is not an AVX-512 core; forced SkylakeX", false},
		// A build without SkylakeX's kernels answers the request with
		// another core: the warning stays.
		{"Haswell", true, coreChoice{chose: "Prescott", forced: true}, "OpenBLAS chose Prescott", true},
	} {
		note := coreNote(tc.core, tc.avx512, tc.c)
		if !strings.Contains(note, "core "+tc.core) || !strings.Contains(note, tc.says) || strings.Contains(note, "not an AVX-512 core on") != tc.warns {
			t.Errorf("coreNote(%s, avx512 %v, %+v) = %q", tc.core, tc.avx512, tc.c, note)
		}
	}
}
