package compute

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
)

// Shape is the size of a kernel's problem. Vector kernels use N alone.
// gemv and transpose take an M×N matrix A. gemm computes an M×N result
// from A (M×K) and B (K×N). fma takes N elements and K steps.
type Shape struct {
	M, N, K int
}

// Vec is the shape of a vector kernel of length n.
func Vec(n int) Shape { return Shape{N: n} }

// Mat is the shape of an m×n matrix kernel (gemv, transpose).
func Mat(m, n int) Shape { return Shape{M: m, N: n} }

// MNK is the shape of gemm's C(m×n) = A(m×k)·B(k×n).
func MNK(m, n, k int) Shape { return Shape{M: m, N: n, K: k} }

// Chain is the shape of fma: n elements, k steps each.
func Chain(n, k int) Shape { return Shape{N: n, K: k} }

// MaxDim bounds every dimension, so that products of dimensions cannot
// overflow an int before the memory check refuses them.
const MaxDim = 1 << 40

// ParseDim reads one dimension: a decimal integer with an optional suffix
// k, M, G (powers of 1000) or Ki, Mi, Gi (powers of 1024), e.g. "1Mi".
func ParseDim(s string) (int, error) {
	t := strings.TrimSpace(s)
	mult := 1
	for _, suf := range []struct {
		s string
		m int
	}{{"Ki", 1 << 10}, {"Mi", 1 << 20}, {"Gi", 1 << 30}, {"k", 1e3}, {"K", 1e3}, {"M", 1e6}, {"G", 1e9}} {
		if strings.HasSuffix(t, suf.s) {
			t, mult = strings.TrimSuffix(t, suf.s), suf.m
			break
		}
	}
	v, err := strconv.ParseInt(t, 10, 64)
	digits := strings.TrimLeft(t, "0123456789")
	switch {
	case errors.Is(err, strconv.ErrRange) && t[0] != '-':
		return 0, fmt.Errorf("%w: size %q is beyond %d", ErrTooLarge, s, int64(MaxDim))
	case digits != t && unitLike(digits):
		return 0, fmt.Errorf("%w: size %q: unknown suffix %q: use k, M, G (powers of 1000) or Ki, Mi, Gi (powers of 1024)", ErrUsage, s, digits)
	case err != nil || t == "" || t[0] == '+':
		return 0, fmt.Errorf("%w: size %q is not a whole number (examples: 1000, 4Mi, 512x512)", ErrUsage, s)
	}
	if v <= 0 {
		return 0, fmt.Errorf("%w: size %q must be positive", ErrUsage, s)
	}
	if v > MaxDim/int64(mult) {
		return 0, fmt.Errorf("%w: size %q is beyond %d", ErrTooLarge, s, int64(MaxDim))
	}
	return int(v) * mult, nil
}

// unitLike reports whether suffix looks like a unit of size that
// ParseDim does not take: T, Pi, KB, MiB, gi and the like.
func unitLike(suffix string) bool {
	u := strings.ToUpper(suffix)
	if u == "" || !strings.ContainsRune("KMGTPE", rune(u[0])) {
		return false
	}
	switch u[1:] {
	case "", "I", "B", "IB":
		return true
	}
	return false
}

// ParseShape reads "N", "MxN" or "MxNxK" (the separator may be x or X).
// It does not know the kernel; Kernel.ParseShape fits it to one.
func ParseShape(s string) ([]int, error) {
	parts := strings.FieldsFunc(strings.TrimSpace(s), func(r rune) bool { return r == 'x' || r == 'X' })
	if len(parts) == 0 || len(parts) > 3 || strings.Count(strings.ToLower(s), "x") != len(parts)-1 {
		return nil, fmt.Errorf("%w: malformed size %q: use N, MxN or MxNxK", ErrUsage, s)
	}
	dims := make([]int, len(parts))
	for i, p := range parts {
		d, err := ParseDim(p)
		if err != nil {
			return nil, err
		}
		dims[i] = d
	}
	return dims, nil
}

// Elems multiplies dimensions, saturating at MaxInt instead of wrapping.
func Elems(dims ...int) int {
	p := 1
	for _, d := range dims {
		if d < 0 {
			return -1
		}
		if d != 0 && p > math.MaxInt/d {
			return math.MaxInt
		}
		p *= d
	}
	return p
}
