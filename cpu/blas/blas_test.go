package blas

import (
	"errors"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"sync"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/blas32"
	"gonum.org/v1/gonum/blas/blas64"
	"gonum.org/v1/gonum/mat"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/cpu/internal/kern"
)

func TestNew(t *testing.T) {
	have := kern.Available()
	if got, want := (Implementation{}).Level(), have[len(have)-1]; got != want {
		t.Errorf("the zero Implementation runs at %s, want the best level %s", got, want)
	}
	l, err := ParseLevel(" GENERIC")
	if err != nil || l != Generic {
		t.Fatalf("ParseLevel(GENERIC) = %q, %v", l, err)
	}
	if l, err := ParseLevel("sse9"); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("ParseLevel(sse9) = %q, %v; want ErrUsage", l, err)
	}
	im, err := New(Options{Level: l, Workers: 3})
	if err != nil || im.Level() != Generic || im.Workers() != 3 {
		t.Errorf("New(GENERIC, 3 workers) = %s with %d workers, %v", im.Level(), im.Workers(), err)
	}
	im.Close()
	im.Close()
	for _, tc := range []struct {
		o    Options
		kind error
		msg  string
	}{
		{Options{Level: "sse9"}, compute.ErrUnavailable, "sse9 is not available here: choose one of"},
		{Options{Level: NEON}, compute.ErrUnavailable, "neon is not available here: choose one of"},
		{Options{Workers: -1}, compute.ErrUsage, "Workers -1"},
		{Options{Workers: compute.MaxWorkers + 1}, compute.ErrUsage, "up to 4096"},
	} {
		_, err := New(tc.o)
		if !errors.Is(err, tc.kind) || !strings.Contains(err.Error(), tc.msg) {
			t.Errorf("New(%+v) = %v, want %v saying %q", tc.o, err, tc.kind, tc.msg)
		}
		var fe *compute.FieldError
		if isField := errors.As(err, &fe) && fe.Field == "Workers"; isField != (tc.o.Workers != 0) {
			t.Errorf("New(%+v) = %v: a FieldError for Workers %v, want %v", tc.o, err, isField, tc.o.Workers != 0)
		}
	}
}

// TestClosed: an Implementation runs gemm on its caller's goroutine
// after Close, with the same bits.
func TestClosed(t *testing.T) {
	im, err := New(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	const n = 200 // above the size that runs in parallel
	a, want, got := randoms(n*n, 1), make([]float64, n*n), make([]float64, n*n)
	im.Dgemm(blas.NoTrans, blas.Trans, n, n, n, 1, a, n, a, n, 0, want, n)
	im.Close()
	im.Dgemm(blas.NoTrans, blas.Trans, n, n, n, 1, a, n, a, n, 0, got, n)
	sameBits(t, "Dgemm after Close", got, want)
}

// TestConcurrent calls Dgemm and Sgemm from several goroutines at once
// on one Implementation: one call at a time has the workers and the
// others run alone, all with the bits of a call made alone.
func TestConcurrent(t *testing.T) {
	im, err := New(Options{Workers: 2})
	if err != nil {
		t.Fatal(err)
	}
	defer im.Close()
	const n, callers = 150, 4
	a := randoms(n*n, 2)
	a32 := make([]float32, len(a))
	for i, v := range a {
		a32[i] = float32(v)
	}
	want, want32 := make([]float64, n*n), make([]float32, n*n)
	im.Dgemm(blas.Trans, blas.NoTrans, n, n, n, 1, a, n, a, n, 0, want, n)
	im.Sgemm(blas.Trans, blas.NoTrans, n, n, n, 1, a32, n, a32, n, 0, want32, n)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			for range 3 {
				got, got32 := make([]float64, n*n), make([]float32, n*n)
				im.Dgemm(blas.Trans, blas.NoTrans, n, n, n, 1, a, n, a, n, 0, got, n)
				im.Sgemm(blas.Trans, blas.NoTrans, n, n, n, 1, a32, n, a32, n, 0, got32, n)
				sameBits(t, "concurrent Dgemm", got, want)
				sameBits(t, "concurrent Sgemm", got32, want32)
			}
		})
	}
	wg.Wait()
}

// TestUse: after blas64.Use and blas32.Use, gonum's mat and the blas64
// and blas32 wrappers run Implementation's routines: they give the bits
// of a direct call, and mat.Dense.Mul lets a NaN in B reach C beside a
// zero in A, which gonum's own Dgemm skips.
func TestUse(t *testing.T) {
	defer blas64.Use(blas64.Implementation())
	defer blas32.Use(blas32.Implementation())
	var im Implementation
	blas64.Use(im)
	blas32.Use(im)

	const m, n, k = 33, 70, 257
	a, b := mat.NewDense(m, k, randoms(m*k, 3)), mat.NewDense(k, n, randoms(k*n, 4))
	var c mat.Dense
	c.Mul(a, b)
	want := make([]float64, m*n)
	im.Dgemm(blas.NoTrans, blas.NoTrans, m, n, k, 1, a.RawMatrix().Data, k, b.RawMatrix().Data, n, 0, want, n)
	sameBits(t, "mat.Dense.Mul", c.RawMatrix().Data, want)

	const i, p, j = 3, 100, 20
	a.Set(i, p, 0)
	b.Set(p, j, math.NaN())
	c.Mul(a, b)
	if v := c.At(i, j); !math.IsNaN(v) {
		t.Errorf("mat.Dense.Mul with A[%d,%d] = 0 and B[%d,%d] = NaN: C[%d,%d] = %v, want NaN: it did not run on Implementation", i, p, p, j, i, j, v)
	}
	b.Set(p, j, 0.5)

	// Product chooses the cheaper order: its bits are those of one.
	d := mat.NewDense(n, 5, randoms(n*5, 6))
	c.Reset()
	c.Product(a, b, d)
	var ab, bd, left, right mat.Dense
	ab.Mul(a, b)
	left.Mul(&ab, d)
	bd.Mul(b, d)
	right.Mul(a, &bd)
	if !slices.Equal(c.RawMatrix().Data, left.RawMatrix().Data) {
		sameBits(t, "mat.Dense.Product", c.RawMatrix().Data, right.RawMatrix().Data)
	}

	x := mat.NewVecDense(k, randoms(k, 5))
	var y mat.VecDense
	y.MulVec(a, x)
	wantY := make([]float64, m)
	im.Dgemv(blas.NoTrans, m, k, 1, a.RawMatrix().Data, k, x.RawVector().Data, 1, 0, wantY, 1)
	sameBits(t, "mat.VecDense.MulVec", y.RawVector().Data, wantY)

	a32 := blas32.General{Rows: m, Cols: k, Stride: k, Data: make([]float32, m*k)}
	for i, v := range a.RawMatrix().Data {
		a32.Data[i] = float32(v)
	}
	c32 := blas32.General{Rows: m, Cols: m, Stride: m, Data: make([]float32, m*m)}
	blas32.Gemm(blas.NoTrans, blas.Trans, 1, a32, a32, 0, c32)
	want32 := make([]float32, m*m)
	im.Sgemm(blas.NoTrans, blas.Trans, m, m, k, 1, a32.Data, k, a32.Data, k, 0, want32, m)
	sameBits(t, "blas32.Gemm", c32.Data, want32)
}

func randoms(n int, seed uint64) []float64 {
	rng := rand.New(rand.NewPCG(seed, 9))
	s := make([]float64, n)
	for i := range s {
		s[i] = rng.Float64()*2 - 1
	}
	return s
}

func sameBits[T compute.Float](t *testing.T, what string, got, want []T) {
	t.Helper()
	for i := range want {
		if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
			t.Fatalf("%s: element %d = %v, want %v", what, i, got[i], want[i])
		}
	}
}
