package ref

import (
	"flag"
	"math/rand/v2"
	"testing"
	"time"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas64"

	"github.com/gpubench/gpubench/compute"
)

var long = flag.Bool("long", false, "run the measurements that take minutes (TestExactProbesTile4096)")

// TestExactProbesTile4096 measures what docs/methodology.md claims of
// the exact pass: in a sampled gemm 4096 float32, a wrong (zeroed) 4×4 tile
// anywhere is caught for every one of 100 seeds of its place. The exact
// result is made once by gonum's dgemm on the exact inputs (every
// value an integer times ¼ below 2²⁴: exact in float64 and float32).
// It takes minutes: run it with -long.
func TestExactProbesTile4096(t *testing.T) {
	t.Parallel()
	if !*long {
		t.Skip("a measurement of minutes: go test -run TestExactProbesTile4096 -long ./ref/")
	}
	p := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(4096, 4096, 4096), DType: compute.Float32, Alpha: 1.5, Beta: -0.75}
	src := Source{Set: Exact, Seed: 1}
	in := InputsOf(p, src)
	n := p.Shape.N
	c := append([]float64(nil), in[2]...)
	blas64.Gemm(blas.NoTrans, blas.NoTrans, p.Alpha,
		blas64.General{Rows: n, Cols: n, Stride: n, Data: in[0]},
		blas64.General{Rows: n, Cols: n, Stride: n, Data: in[1]},
		p.Beta, blas64.General{Rows: n, Cols: n, Stride: n, Data: c})
	got := compute.HostFrom(c, compute.Float32)
	if chk, _, err := Judge(p, compute.Device{}, src, true, got); err != nil || !chk.OK {
		t.Fatalf("exact result: %v %s", err, chk.Reason)
	}
	v := compute.Data[float32](got)
	rng := rand.New(rand.NewPCG(4096, 4))
	caught := 0
	start := time.Now()
	for seed := range 100 {
		i0, j0 := rng.IntN(n-3), rng.IntN(n-3)
		var saved [16]float32
		for i := range 4 {
			row := v[(i0+i)*n+j0 : (i0+i)*n+j0+4]
			copy(saved[4*i:], row)
			clear(row)
		}
		chk, _, err := Judge(p, compute.Device{}, src, true, got)
		if err == nil && !chk.OK {
			caught++
		} else {
			t.Errorf("seed %d: a zeroed tile at (%d, %d) passes", seed, i0, j0)
		}
		for i := range 4 {
			copy(v[(i0+i)*n+j0:(i0+i)*n+j0+4], saved[4*i:4*i+4])
		}
	}
	t.Logf("gemm 4096 float32, exact pass sampled: %d of 100 zeroed 4×4 tiles caught, %.2f s a check", caught, time.Since(start).Seconds()/100)
}
