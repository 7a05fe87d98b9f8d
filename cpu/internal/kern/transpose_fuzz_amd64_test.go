//go:build !noasm

package kern

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// FuzzTranspose compares each amd64 level's transpose with the generic
// code in the same iteration, bit for bit, at row strides past the
// matrices' widths: the gaps of dst hold NaN guards that must survive
// (no write outside the m elements of each of its n rows), and A must
// not change.
func FuzzTranspose(f *testing.F) {
	f.Add(uint8(16), uint8(16), uint8(0), uint8(0), uint64(1))
	f.Add(uint8(17), uint8(33), uint8(1), uint8(3), uint64(2))
	f.Add(uint8(64), uint8(7), uint8(2), uint8(0), uint64(3))
	f.Add(uint8(99), uint8(130), uint8(3), uint8(5), uint64(4))
	f.Add(uint8(8), uint8(200), uint8(0), uint8(1), uint64(5))
	f.Fuzz(func(t *testing.T, m8, n8, offa, offd uint8, seed uint64) {
		m, n := int(m8), int(n8)
		fuzzTranspose[float32](t, m, n, n+int(offa%5), m+int(offd%5), seed)
		fuzzTranspose[float64](t, m, n, n+int(offa%5), m+int(offd%5), seed)
	})
}

func fuzzTranspose[T compute.Float](t *testing.T, m, n, lda, ldd int, seed uint64) {
	rng := rand.New(rand.NewPCG(seed, 3))
	a := make([]T, m*lda)
	for i := range a {
		a[i] = T(rng.NormFloat64())
	}
	orig := slices.Clone(a)
	run := func(set *Set) []T {
		d := make([]T, n*ldd)
		for i := range d {
			d[i] = T(math.NaN())
		}
		For[T](set).Transpose(d, ldd, a, lda, m, n)
		return d
	}
	want := run(sets(t)[0])
	for j := 0; j < n; j++ {
		for i := 0; i < ldd; i++ {
			got := want[j*ldd+i]
			if i < m && got != a[i*lda+j] || i >= m && !math.IsNaN(float64(got)) {
				t.Fatalf("generic %dx%d (lda %d, ldd %d): dst[%d][%d] = %v", m, n, lda, ldd, j, i, got)
			}
		}
	}
	for _, set := range sets(t) {
		got := run(set)
		for i := range got {
			if math.Float64bits(float64(got[i])) != math.Float64bits(float64(want[i])) {
				t.Fatalf("%s %dx%d (lda %d, ldd %d): dst[%d] = %v, generic %v", set.Level(), m, n, lda, ldd, i, got[i], want[i])
			}
		}
	}
	if !slices.Equal(a, orig) {
		t.Fatalf("%dx%d: transpose changed A", m, n)
	}
}
