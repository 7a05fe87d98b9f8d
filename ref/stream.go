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
func Streamed(k compute.Kernel) bool { return k != compute.Gemm }

// VerifyStream checks every element of got, p's whole result (read in
// place), against the reference of the inputs that InputsOf(p, src)
// makes, as Verify would against Compute's, but drawing the inputs again
// from their streams a chunk at a time, so that no operand is ever held
// whole in float64:
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
// of the first bad element. Memory is about StreamBytes(p); time is
// about one more drawing of the inputs, which the harness made once
// already for the upload.
func VerifyStream(p compute.Problem, leaf int, src Source, got compute.Host) (Check, error) {
	tol := tolFor(src.Set, leaf)
	k, s := p.Kernel, p.Shape
	if err := k.Validate(s); err != nil {
		return Check{}, err
	}
	if !Streamed(k) {
		return Check{}, fmt.Errorf("%w: ref: %s is not checked streaming", compute.ErrUnsupported, k)
	}
	n := p.OutLen()
	if l := got.Len(); l != n {
		return Check{}, fmt.Errorf("%w: ref: result of %s has %d elements, want %d", compute.ErrShape, k, l, n)
	}
	units := n // what the parts split: out's elements, A's for transpose, the inputs' for dot and sum
	if k.Reduction() || k == compute.Transpose {
		units = p.OperandLen(k.Inputs()[0])
	}
	parts := min(runtime.GOMAXPROCS(0), units)
	chunk := partChunk(runtime.GOMAXPROCS(0))
	var x []float64 // gemv's x, shared by every part
	if k == compute.Gemv {
		x = make([]float64, s.N)
		NewStreamOf(p, "x", src).Fill(x)
	}
	checks := make([]Check, parts)
	sums := make([]compSum, parts) // dot and sum: want and mag of each part
	mags := make([]float64, parts)
	inParts(units, parts, func(part, lo, hi int) {
		switch {
		case k.Reduction():
			sums[part], mags[part] = streamReduction(p, src, lo, hi, chunk)
		case k == compute.Transpose:
			checks[part] = streamTranspose(p, tol, src, got, lo, hi, chunk)
		case k == compute.Gemv:
			checks[part] = streamGEMV(p, tol, src, x, got, lo, hi, chunk)
		default:
			checks[part] = streamElements(p, tol, src, got, lo, hi, chunk)
		}
	})
	if k.Reduction() {
		var want compSum
		var mag float64
		for i, ps := range sums {
			want.merge(ps)
			mag += mags[i]
		}
		return verify(p, tol, 0, nil, got.Widen(nil, 0, 1), []Reference{{[]float64{want.value()}, []float64{mag}}}), nil
	}
	chk := Check{OK: true, Worst: -1}
	for _, c := range checks {
		chk.Merge(c)
	}
	return chk, nil
}

// StreamBytes is the memory VerifyStream works in for p: five arrays of
// chunkBytes in all (each input's chunk, want, mag and the result's
// chunk widened, split among the parts), transpose's indices, and gemv's
// x beside a row of A for each part where a row is longer than a chunk.
func StreamBytes(p compute.Problem) float64 {
	b := 5.0 * chunkBytes
	switch p.Kernel {
	case compute.Transpose:
		b += chunkBytes
	case compute.Gemv:
		b += 8 * float64(p.Shape.N) * float64(1+runtime.GOMAXPROCS(0))
	}
	return b
}

// openInputs opens p's input streams at element lo, each with an array
// of chunk elements to fill.
func openInputs(p compute.Problem, src Source, lo, chunk int) ([][]float64, []*Stream) {
	names := p.Kernel.Inputs()
	in := make([][]float64, len(names))
	streams := make([]*Stream, len(names))
	for i, name := range names {
		in[i] = make([]float64, chunk)
		streams[i] = NewStreamOf(p, name, src)
		streams[i].Seek(lo)
	}
	return in, streams
}

// streamElements checks out[lo:hi] of an element-wise kernel or fma.
func streamElements(p compute.Problem, tol tolerance, src Source, got compute.Host, lo, hi, chunk int) Check {
	in, streams := openInputs(p, src, lo, chunk)
	want, mag, g := make([]float64, chunk), make([]float64, chunk), make([]float64, 0, chunk)
	part := make([][]float64, len(in))
	chk := Check{OK: true, Worst: -1}
	for i0 := lo; i0 < hi; i0 += chunk {
		n := min(chunk, hi-i0)
		sub := compute.Vec(n)
		if p.Kernel.Form() == compute.ChainForm {
			sub = compute.Chain(n, p.Shape.K)
		}
		for i, st := range streams {
			part[i] = in[i][:n]
			st.Fill(part[i])
		}
		w, m := want[:n], mag[:n]
		clear(w)
		clear(m)
		if err := computeInto(p.WithShape(sub), part, w, m); err != nil {
			panic("ref: " + err.Error()) // Streamed and Validate admitted p
		}
		g = got.Widen(g[:0], i0, i0+n)
		chk.Merge(verify(p, tol, i0, nil, g, []Reference{{w, m}}))
	}
	return chk
}

// streamTranspose checks the elements of out that A[lo:hi] (in row-major
// order) land on: A[i, j] is out[j, i], element j·M + i.
func streamTranspose(p compute.Problem, tol tolerance, src Source, got compute.Host, lo, hi, chunk int) Check {
	s := p.Shape
	st := NewStreamOf(p, "A", src)
	st.Seek(lo)
	a, mag, g, idx := make([]float64, chunk), make([]float64, chunk), make([]float64, chunk), make([]int, chunk)
	chk := Check{OK: true, Worst: -1}
	for p0 := lo; p0 < hi; p0 += chunk {
		n := min(chunk, hi-p0)
		st.Fill(a[:n])
		for e := range n {
			i := p0 + e
			idx[e] = (i%s.N)*s.M + i/s.N
			g[e] = got.At(idx[e])
			mag[e] = math.Abs(a[e])
		}
		chk.Merge(verifyAt(p, tol, idx[:n], g[:n], a[:n], mag[:n]))
	}
	return chk
}

// streamGEMV checks out[lo:hi], rows lo..hi of A times x, a block of
// rows at a time (one where a row is longer than a chunk).
func streamGEMV(p compute.Problem, tol tolerance, src Source, x []float64, got compute.Host, lo, hi, chunk int) Check {
	s := p.Shape
	rows := max(1, chunk/s.N)
	st := NewStreamOf(p, "A", src)
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
		if err := computeInto(p.WithShape(compute.Mat(r, s.N)), [][]float64{a[:r*s.N], x}, w, m); err != nil {
			panic("ref: " + err.Error())
		}
		g = got.Widen(g[:0], r0, r0+r)
		chk.Merge(verify(p, tol, r0, nil, g, []Reference{{w, m}}))
	}
	return chk
}

// streamReduction is the compensated sum of dot's products or sum's
// elements lo..hi, and the float64 sum of their magnitudes, in order, as
// Compute sums them.
func streamReduction(p compute.Problem, src Source, lo, hi, chunk int) (want compSum, mag float64) {
	in, streams := openInputs(p, src, lo, chunk)
	for i0 := lo; i0 < hi; i0 += chunk {
		n := min(chunk, hi-i0)
		for i, st := range streams {
			st.Fill(in[i][:n])
		}
		for e, x := range in[0][:n] {
			if p.Kernel == compute.Dot {
				want.addProduct(x, in[1][e])
				x *= in[1][e]
			} else {
				want.add(x)
			}
			mag += math.Abs(x)
		}
	}
	return want, mag
}
