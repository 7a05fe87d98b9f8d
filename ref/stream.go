package ref

import (
	"fmt"
	"math"
	"runtime"

	"github.com/gpubench/gpubench/compute"
)

// Streamed says whether VerifyStream checks k: every kernel whose
// reference costs no more than drawing its inputs, that is all but gemm
// (whose O(M·N·K) reference GEMMChunks makes, or a sample and probes
// check, see VerifyGEMMProbes).
func Streamed(k *compute.Kernel) bool { return k.Name != "gemm" }

// VerifyStream checks every element of got, k's whole result for shape s
// (a []float32 or []float64, read in place), against the reference of
// the inputs that Inputs(k, s, dt, seed) makes, as Verify would against
// Compute's, but drawing the inputs again from their streams a chunk at
// a time, so that no operand is ever held whole in float64:
//
//   - the element-wise kernels and fma: a chunk of each input, Compute
//     of that chunk as a vector (or chain) of its own, compared with the
//     same elements of got;
//   - transpose: a chunk of A's rows in order, each element compared
//     with out[j, i], where it lands;
//   - gemv: x whole, then a block of A's rows at a time;
//   - dot and sum: their float64 sum (and the sum of magnitudes) in
//     chunks, in order within each of the parts below, added at the end.
//
// The elements are split into GOMAXPROCS contiguous parts, each drawn
// from its own streams moved there by Stream.Seek, and checked in
// parallel; the parts' Checks are merged in order, so the Reason is that
// of the first bad element. Memory is about StreamBytes(k, s); time is
// about one more drawing of the inputs, which the harness made once
// already for the upload.
func VerifyStream(k *compute.Kernel, s compute.Shape, dt compute.DType, leaf int, seed uint64, alpha, beta float64, got any) (Check, error) {
	if err := k.Validate(s); err != nil {
		return Check{}, err
	}
	if !Streamed(k) {
		return Check{}, fmt.Errorf("%w: ref: %s is not checked streaming", compute.ErrUnsupported, k.Name)
	}
	n := k.OperandLen("out", s)
	if l := sliceLen(got); l != n {
		return Check{}, fmt.Errorf("%w: ref: result of %s has %d elements, want %d", compute.ErrShape, k.Name, l, n)
	}
	units := n // what the parts split: out's elements, A's for transpose, the inputs' for dot and sum
	switch {
	case k.Reduction || k.Name == "transpose":
		units = k.OperandLen(k.Inputs[0], s)
	}
	parts := min(runtime.GOMAXPROCS(0), units)
	chunk := partChunk(runtime.GOMAXPROCS(0))
	var x []float64 // gemv's x, shared by every part
	if k.Name == "gemv" {
		x = make([]float64, s.N)
		NewStream(k, "x", dt, seed).Fill(x)
	}
	checks := make([]Check, parts)
	sums := make([][2]float64, parts) // dot and sum: want, mag of each part
	inParts(units, parts, func(p, lo, hi int) {
		switch {
		case k.Reduction:
			sums[p] = streamReduction(k, dt, seed, lo, hi, chunk)
		case k.Name == "transpose":
			checks[p] = streamTranspose(k, s, dt, leaf, seed, got, lo, hi, chunk)
		case k.Name == "gemv":
			checks[p] = streamGEMV(k, s, dt, leaf, seed, x, got, lo, hi, chunk)
		default:
			checks[p] = streamElements(k, s, dt, leaf, seed, alpha, beta, got, lo, hi, chunk)
		}
	})
	if k.Reduction {
		var want, mag float64
		for _, ps := range sums {
			want += ps[0]
			mag += ps[1]
		}
		return VerifyPart(k, s, dt, leaf, 0, Widen(nil, got, 0, 1), []float64{want}, []float64{mag}), nil
	}
	chk := Check{OK: true, Worst: -1}
	for _, c := range checks {
		chk.Merge(c)
	}
	return chk, nil
}

// StreamBytes is the memory VerifyStream works in for k and s: five
// arrays of chunkBytes in all (each input's chunk, want, mag and the
// result's chunk widened, split among the parts), transpose's indices,
// and gemv's x beside a row of A for each part where a row is longer
// than a chunk.
func StreamBytes(k *compute.Kernel, s compute.Shape) float64 {
	b := 5.0 * chunkBytes
	switch k.Name {
	case "transpose":
		b += chunkBytes
	case "gemv":
		b += 8 * float64(s.N) * float64(1+runtime.GOMAXPROCS(0))
	}
	return b
}

// openInputs opens k's input streams at element lo, each with an array
// of chunk elements to fill.
func openInputs(k *compute.Kernel, dt compute.DType, seed uint64, lo, chunk int) ([][]float64, []*Stream) {
	in := make([][]float64, len(k.Inputs))
	streams := make([]*Stream, len(k.Inputs))
	for i, name := range k.Inputs {
		in[i] = make([]float64, chunk)
		streams[i] = NewStream(k, name, dt, seed)
		streams[i].Seek(lo)
	}
	return in, streams
}

// streamElements checks out[lo:hi] of an element-wise kernel or fma.
func streamElements(k *compute.Kernel, s compute.Shape, dt compute.DType, leaf int, seed uint64, alpha, beta float64, got any, lo, hi, chunk int) Check {
	in, streams := openInputs(k, dt, seed, lo, chunk)
	want, mag, g := make([]float64, chunk), make([]float64, chunk), make([]float64, 0, chunk)
	part := make([][]float64, len(in))
	chk := Check{OK: true, Worst: -1}
	for i0 := lo; i0 < hi; i0 += chunk {
		n := min(chunk, hi-i0)
		sub := compute.Vec(n)
		if k.Form == compute.ChainForm {
			sub = compute.Chain(n, s.K)
		}
		for i, st := range streams {
			part[i] = in[i][:n]
			st.Fill(part[i])
		}
		w, m := want[:n], mag[:n]
		clear(w)
		clear(m)
		if err := computeInto(k, sub, alpha, beta, part, w, m); err != nil {
			panic("ref: " + err.Error()) // Streamed and Validate admitted k and s
		}
		g = Widen(g[:0], got, i0, i0+n)
		chk.Merge(VerifyPart(k, s, dt, leaf, i0, g, w, m))
	}
	return chk
}

// streamTranspose checks the elements of out that A[lo:hi] (in row-major
// order) land on: A[i, j] is out[j, i], element j·M + i.
func streamTranspose(k *compute.Kernel, s compute.Shape, dt compute.DType, leaf int, seed uint64, got any, lo, hi, chunk int) Check {
	st := NewStream(k, "A", dt, seed)
	st.Seek(lo)
	a, mag, g, idx := make([]float64, chunk), make([]float64, chunk), make([]float64, chunk), make([]int, chunk)
	chk := Check{OK: true, Worst: -1}
	for p0 := lo; p0 < hi; p0 += chunk {
		n := min(chunk, hi-p0)
		st.Fill(a[:n])
		for e := range n {
			p := p0 + e
			idx[e] = (p%s.N)*s.M + p/s.N
			g[e] = at(got, idx[e])
			mag[e] = math.Abs(a[e])
		}
		chk.Merge(VerifyAt(k, s, dt, leaf, idx[:n], g[:n], a[:n], mag[:n]))
	}
	return chk
}

// streamGEMV checks out[lo:hi], rows lo..hi of A times x, a block of
// rows at a time (one where a row is longer than a chunk).
func streamGEMV(k *compute.Kernel, s compute.Shape, dt compute.DType, leaf int, seed uint64, x []float64, got any, lo, hi, chunk int) Check {
	rows := max(1, chunk/s.N)
	st := NewStream(k, "A", dt, seed)
	st.Seek(lo * s.N)
	a := make([]float64, rows*s.N)
	want, mag, g := make([]float64, rows), make([]float64, rows), make([]float64, 0, rows)
	chk := Check{OK: true, Worst: -1}
	for r0 := lo; r0 < hi; r0 += rows {
		r := min(rows, hi-r0)
		st.Fill(a[:r*s.N])
		w, m := want[:r], mag[:r]
		clear(w)
		clear(m)
		if err := computeInto(k, compute.Mat(r, s.N), 0, 0, [][]float64{a[:r*s.N], x}, w, m); err != nil {
			panic("ref: " + err.Error())
		}
		g = Widen(g[:0], got, r0, r0+r)
		chk.Merge(VerifyPart(k, s, dt, leaf, r0, g, w, m))
	}
	return chk
}

// streamReduction is the float64 sum of dot's products or sum's elements
// lo..hi, and of their magnitudes, in order, as Compute sums them.
func streamReduction(k *compute.Kernel, dt compute.DType, seed uint64, lo, hi, chunk int) (sums [2]float64) {
	in, streams := openInputs(k, dt, seed, lo, chunk)
	for i0 := lo; i0 < hi; i0 += chunk {
		n := min(chunk, hi-i0)
		for i, st := range streams {
			st.Fill(in[i][:n])
		}
		for e, x := range in[0][:n] {
			if k.Name == "dot" {
				x *= in[1][e]
			}
			sums[0] += x
			sums[1] += math.Abs(x)
		}
	}
	return sums
}

// sliceLen is the length of a []float32 or []float64.
func sliceLen(s any) int {
	switch v := s.(type) {
	case []float32:
		return len(v)
	case []float64:
		return len(v)
	}
	panic(fmt.Sprintf("ref: result of type %T", s))
}

// at is element i of a []float32 or []float64, as a float64.
func at(s any, i int) float64 {
	switch v := s.(type) {
	case []float32:
		return float64(v[i])
	case []float64:
		return v[i]
	}
	panic(fmt.Sprintf("ref: result of type %T", s))
}

// Widen appends elements lo..hi of a []float32 or []float64 to dst as
// float64s.
func Widen(dst []float64, s any, lo, hi int) []float64 {
	switch v := s.(type) {
	case []float32:
		for _, x := range v[lo:hi] {
			dst = append(dst, float64(x))
		}
	case []float64:
		dst = append(dst, v[lo:hi]...)
	default:
		panic(fmt.Sprintf("ref: result of type %T", s))
	}
	return dst
}
