package blas

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"gonum.org/v1/gonum/blas"
	"gonum.org/v1/gonum/blas/gonum"

	"github.com/gpubench/gpubench/compute"
)

// The tests here call every replaced routine and gonum's on a grid of
// small arguments, valid and not: sizes below, at and above zero,
// strides and increments one short of what they must be, zero and
// negative, slices one element short. Both must panic with the same
// value, or neither, and then leave the same results: the data are small
// integers, α and β halves and integers, so every result is exact in
// either order of evaluation (Snrm2 and Dnrm2 aside, whose square root
// each rounds once).

// outcome runs f and returns what it panicked with, or nil.
func outcome(f func()) (p any) {
	defer func() { p = recover() }()
	f()
	return nil
}

// ints is n small integers, from −3 to 3, as T.
func ints[T compute.Float](n, seed int) []T {
	s := make([]T, max(n, 0))
	for i := range s {
		s[i] = T((i*7+seed*3)%7 - 3)
	}
	return s
}

// sameAsGonum runs ours and gonum's, each on its own copy of outs, and
// reports a difference in what they panicked with or in outs after.
func sameAsGonum[T compute.Float](t *testing.T, name string, outs [][]T, ours, theirs func(outs [][]T)) {
	t.Helper()
	mine := make([][]T, len(outs))
	for i, o := range outs {
		mine[i] = slices.Clone(o)
	}
	pm := outcome(func() { ours(mine) })
	pg := outcome(func() { theirs(outs) })
	if pm != pg {
		t.Fatalf("%s: panicked with %v, gonum with %v", name, pm, pg)
	}
	if pm != nil {
		return
	}
	for i := range outs {
		for j := range outs[i] {
			if mine[i][j] != outs[i][j] {
				t.Fatalf("%s: output %d element %d = %v, gonum's %v", name, i, j, mine[i][j], outs[i][j])
			}
		}
	}
}

var badTransposes = []blas.Transpose{blas.NoTrans, blas.Trans, blas.ConjTrans, 'X'}

// stridesFor are a row stride one short of what rows of cols elements
// need, and one more than they need.
func stridesFor(cols int) []int { return []int{max(1, cols) - 1, max(1, cols) + 1} }

// lengthsFor are a slice length one short of what a rows×cols matrix
// with row stride ld needs, and what it needs.
func lengthsFor(rows, cols, ld int) []int {
	need := max(0, (rows-1)*ld+cols)
	return []int{max(0, need-1), need}
}

func TestGemmArgs(t *testing.T) {
	var g gonum.Implementation
	for _, im := range implementations(t) {
		gemmArgs(t, im.Sgemm, g.Sgemm)
		gemmArgs(t, im.Dgemm, g.Dgemm)
	}
}

// implementations are one Implementation that runs the calls it takes
// on the kernels at every size and the zero one, which leaves small
// calls to gonum's code.
func implementations(t *testing.T) []Implementation {
	all := allOnKernels(t, "")
	t.Cleanup(all.Close)
	return []Implementation{all, {}}
}

func gemmArgs[T compute.Float](t *testing.T, ours, theirs gemmFunc[T]) {
	dims := []int{-1, 0, 2}
	for _, tA := range badTransposes {
		for _, tB := range badTransposes {
			for _, m := range dims {
				for _, n := range dims {
					for _, k := range dims {
						ra, ca := m, k
						if tA == blas.Trans || tA == blas.ConjTrans {
							ra, ca = k, m
						}
						rb, cb := k, n
						if tB == blas.Trans || tB == blas.ConjTrans {
							rb, cb = n, k
						}
						for _, lda := range stridesFor(ca) {
							for _, ldb := range stridesFor(cb) {
								for _, ldc := range stridesFor(n) {
									for _, la := range lengthsFor(ra, ca, lda) {
										for _, lb := range lengthsFor(rb, cb, ldb) {
											for _, lc := range lengthsFor(m, n, ldc) {
												a, b := ints[T](la, 1), ints[T](lb, 2)
												ab := [][2]T{{1, 0}, {-2, 0.5}, {0, 1}}[(la+lb+lc)%3]
												name := fmt.Sprintf("%T gemm %c%c m=%d n=%d k=%d lda=%d ldb=%d ldc=%d len %d %d %d α=%v β=%v",
													ab[0], tA, tB, m, n, k, lda, ldb, ldc, la, lb, lc, ab[0], ab[1])
												call := func(f gemmFunc[T]) func([][]T) {
													return func(o [][]T) { f(tA, tB, m, n, k, ab[0], a, lda, b, ldb, ab[1], o[0], ldc) }
												}
												sameAsGonum(t, name, [][]T{ints[T](lc, 3)}, call(ours), call(theirs))
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// gemvFunc is Sgemv or Dgemv.
type gemvFunc[T compute.Float] func(tA blas.Transpose, m, n int, alpha T, a []T, lda int, x []T, incX int, beta T, y []T, incY int)

func TestGemvArgs(t *testing.T) {
	var g gonum.Implementation
	for _, im := range implementations(t) {
		gemvArgs(t, im.Sgemv, g.Sgemv)
		gemvArgs(t, im.Dgemv, g.Dgemv)
	}
}

// incs are the increments the vector tests try.
var incs = []int{-2, -1, 0, 1, 2}

// vecLengths are a slice length one short of what n elements at
// increment inc need, what they need, and one more.
func vecLengths(n, inc int) []int {
	need := 1 + (n-1)*max(inc, -inc)
	if n <= 0 {
		need = 0
	}
	return []int{max(0, need-1), need, need + 1}
}

func gemvArgs[T compute.Float](t *testing.T, ours, theirs gemvFunc[T]) {
	dims := []int{-1, 0, 3}
	for _, tA := range badTransposes {
		for _, m := range dims {
			for _, n := range dims {
				lenX, lenY := n, m
				if tA == blas.Trans || tA == blas.ConjTrans {
					lenX, lenY = m, n
				}
				for _, lda := range stridesFor(n) {
					for _, la := range lengthsFor(m, n, lda) {
						for _, incX := range incs {
							for _, incY := range incs {
								for _, lx := range vecLengths(lenX, incX) {
									for _, ly := range vecLengths(lenY, incY) {
										a, x := ints[T](la, 1), ints[T](lx, 2)
										ab := [][2]T{{1, 0}, {-2, 0.5}, {0, 1}, {0, 0}, {2, 1}}[(la+lx+ly)%5]
										name := fmt.Sprintf("%T gemv %c m=%d n=%d lda=%d incX=%d incY=%d len %d %d %d α=%v β=%v",
											ab[0], tA, m, n, lda, incX, incY, la, lx, ly, ab[0], ab[1])
										call := func(f gemvFunc[T]) func([][]T) {
											return func(o [][]T) { f(tA, m, n, ab[0], a, lda, x, incX, ab[1], o[0], incY) }
										}
										sameAsGonum(t, name, [][]T{ints[T](ly, 3)}, call(ours), call(theirs))
									}
								}
							}
						}
					}
				}
			}
		}
	}
}

// level1 are one type's replaced level-1 routines, ours or gonum's.
type level1[T compute.Float] struct {
	axpy func(n int, alpha T, x []T, incX int, y []T, incY int)
	dot  func(n int, x []T, incX int, y []T, incY int) T
	scal func(n int, alpha T, x []T, incX int)
	nrm2 func(n int, x []T, incX int) T
}

func TestLevel1Args(t *testing.T) {
	var g gonum.Implementation
	for _, im := range implementations(t) {
		level1Args(t, level1[float32]{im.Saxpy, im.Sdot, im.Sscal, im.Snrm2}, level1[float32]{g.Saxpy, g.Sdot, g.Sscal, g.Snrm2})
		level1Args(t, level1[float64]{im.Daxpy, im.Ddot, im.Dscal, im.Dnrm2}, level1[float64]{g.Daxpy, g.Ddot, g.Dscal, g.Dnrm2})
	}
}

func level1Args[T compute.Float](t *testing.T, ours, theirs level1[T]) {
	u := compute.DTypeOf[T]().UnitRoundoff()
	for _, n := range []int{-1, 0, 1, 3, 17} {
		for _, incX := range incs {
			for _, lx := range vecLengths(n, incX) {
				x := ints[T](lx, 1)
				for _, alpha := range []T{0, -2, 0.5} {
					name := fmt.Sprintf("%T scal n=%d incX=%d len %d α=%v", alpha, n, incX, lx, alpha)
					sameAsGonum(t, name, [][]T{x},
						func(o [][]T) { ours.scal(n, alpha, o[0], incX) }, func(o [][]T) { theirs.scal(n, alpha, o[0], incX) })
				}
				name := fmt.Sprintf("%T nrm2 n=%d incX=%d len %d", x, n, incX, lx)
				var got, want T
				pm := outcome(func() { got = ours.nrm2(n, x, incX) })
				pg := outcome(func() { want = theirs.nrm2(n, x, incX) })
				if pm != pg {
					t.Fatalf("%s: panicked with %v, gonum with %v", name, pm, pg)
				}
				// Each is within γ(n+1) of the exact norm: a rounding per
				// square and addition, halved by the root, and the root's.
				within(t, name, float64(got), float64(want), 2*compute.Gamma(max(n, 0)+1, u)*float64(want))

				for _, incY := range incs {
					for _, ly := range vecLengths(n, incY) {
						y := ints[T](ly, 2)
						for _, alpha := range []T{0, -2, 0.5} {
							name := fmt.Sprintf("%T axpy n=%d incX=%d incY=%d len %d %d α=%v", alpha, n, incX, incY, lx, ly, alpha)
							sameAsGonum(t, name, [][]T{y},
								func(o [][]T) { ours.axpy(n, alpha, x, incX, o[0], incY) },
								func(o [][]T) { theirs.axpy(n, alpha, x, incX, o[0], incY) })
						}
						name := fmt.Sprintf("%T dot n=%d incX=%d incY=%d len %d %d", x, n, incX, incY, lx, ly)
						var got, want T
						pm := outcome(func() { got = ours.dot(n, x, incX, y, incY) })
						pg := outcome(func() { want = theirs.dot(n, x, incX, y, incY) })
						if pm != pg || got != want && !(math.IsNaN(float64(got)) && math.IsNaN(float64(want))) {
							t.Fatalf("%s: %v (panic %v), gonum %v (panic %v)", name, got, pm, want, pg)
						}
					}
				}
			}
		}
	}
}
