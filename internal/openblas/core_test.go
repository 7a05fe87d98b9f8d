//go:build openblas && cgo

package openblas

import (
	"math"
	"math/rand/v2"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/hwinfo"
)

// avx512Cores are OpenBLAS's cores with AVX-512 kernels, lower-cased.
var avx512Cores = []string{"skylakex", "cooperlake", "sapphirerapids"}

// TestCore: on an AVX-512 machine OpenBLAS runs an AVX-512 core, whether
// it chose one itself or start-up replaced its choice, and where start-up
// made it choose again the core is SkylakeX, the variable is unset again
// and the new core computes gemm right.
func TestCore(t *testing.T) {
	core := CoreName()
	chose, forced := CoreForced()
	was, set, replaced := CoretypeEnv()
	t.Logf("core %s; forced %v from %q; OPENBLAS_CORETYPE %q set %v replaced %v; %s", core, forced, chose, was, set, replaced, Config())
	cpu := hwinfo.DescribeCPU()
	if cpu.Has("AVX512F") && cpu.Has("AVX512BW") && cpu.Has("AVX512DQ") && cpu.Has("AVX512VL") &&
		!slices.Contains(avx512Cores, strings.ToLower(core)) {
		t.Errorf("OpenBLAS runs %s on an AVX-512 machine (OPENBLAS_CORETYPE %q, set %v)", core, was, set)
	}
	if !forced {
		return
	}
	if set || replaced {
		t.Errorf("forced from %s though OPENBLAS_CORETYPE was set (%q)", chose, was)
	}
	if _, ok := os.LookupEnv("OPENBLAS_CORETYPE"); ok {
		t.Errorf("OPENBLAS_CORETYPE left set after forcing the core")
	}
	if core != "SkylakeX" || slices.Contains(avx512Cores, strings.ToLower(chose)) {
		t.Errorf("forced from %s to %s; want a core without AVX-512 replaced by SkylakeX", chose, core)
	}
	if !strings.Contains(Config(), core) {
		t.Errorf("Config() = %q does not name the core %s", Config(), core)
	}
}

// TestGemm checks OpenBLAS's gemm, under whichever core start-up left
// it, against the naive triple loop, at sizes past its blocking.
func TestGemm(t *testing.T) {
	testGemm[float32](t, 0x1p-23)
	testGemm[float64](t, 0x1p-52)
}

// gemmTol bounds |computed − exact| / Σ|terms| for one element of C: k
// products and the β·C term summed in any order, with or without fused
// multiply-adds, err by at most (k+2)·u with u = eps/2 the unit
// roundoff; (k+2)·eps leaves a factor 2.
func gemmTol(k int, eps float64) float64 { return float64(k+2) * eps }

// testGemm checks C = 2·A·B + 0.5·C for odd sizes in the precision whose
// machine epsilon is eps.
func testGemm[T float32 | float64](t *testing.T, eps float64) {
	r := rand.New(rand.NewPCG(1, 1))
	for _, s := range [][3]int{{1, 1, 1}, {7, 5, 3}, {67, 129, 257}, {300, 211, 400}} {
		m, n, k := s[0], s[1], s[2]
		fill := func(l int) []T {
			v := make([]T, l)
			for i := range v {
				v[i] = T(r.Float64()*2 - 1)
			}
			return v
		}
		a, b, c := fill(m*k), fill(k*n), fill(m*n)
		want := make([]float64, m*n)
		bound := make([]float64, m*n)
		for i := range m {
			for j := range n {
				sum, abs := 0.5*float64(c[i*n+j]), math.Abs(0.5*float64(c[i*n+j]))
				for p := range k {
					x := 2 * float64(a[i*k+p]) * float64(b[p*n+j])
					sum += x
					abs += math.Abs(x)
				}
				want[i*n+j], bound[i*n+j] = sum, abs
			}
		}
		Gemm(m, n, k, 2, a, k, b, n, 0.5, c, n)
		tol := gemmTol(k, eps)
		for i, got := range c {
			if d := math.Abs(float64(got) - want[i]); d > tol*bound[i] {
				t.Fatalf("%T gemm %dx%dx%d: C[%d] = %v, want %v (|diff| %g > %g)", got, m, n, k, i, got, want[i], d, tol*bound[i])
			}
		}
	}
}
