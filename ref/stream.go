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
	return verifyStream(p, tolFor(src.Set, leaf), src, got)
}

// verifyStream is VerifyStream with tol; where tol is flushed, each
// element also passes against the reference of the inputs flushed,
// drawn from streams of their own beside the others.
func verifyStream(p compute.Problem, tol tolerance, src Source, got compute.Host) (Check, error) {
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
	// srcs are the inputs each element is checked against: src, and src
	// flushed where tol is.
	srcs := []Source{src}
	if tol.flushed {
		srcs = append(srcs, flushed(src))
	}
	var x [][]float64 // gemv's x of each of srcs, shared by every part
	if k == compute.Gemv {
		for _, sr := range srcs {
			v := make([]float64, s.N)
			NewStreamOf(p, "x", sr).Fill(v)
			x = append(x, v)
		}
	}
	checks := make([]Check, parts)
	sums := make([][]compSum, parts) // dot and sum: want and mag of each part, for each of srcs
	mags := make([][]float64, parts)
	inParts(units, parts, func(part, lo, hi int) {
		switch {
		case k.Reduction():
			for _, sr := range srcs {
				w, m := streamReduction(p, sr, lo, hi, chunk)
				sums[part], mags[part] = append(sums[part], w), append(mags[part], m)
			}
		case k == compute.Transpose:
			checks[part] = streamTranspose(p, tol, srcs, got, lo, hi, chunk)
		case k == compute.Gemv:
			checks[part] = streamGEMV(p, tol, srcs, x, got, lo, hi, chunk)
		default:
			checks[part] = streamElements(p, tol, srcs, got, lo, hi, chunk)
		}
	})
	if k.Reduction() {
		refs := make([]Reference, len(srcs))
		for j := range srcs {
			var want compSum
			var mag float64
			for i, ps := range sums {
				want.merge(ps[j])
				mag += mags[i][j]
			}
			refs[j] = Reference{[]float64{want.value()}, []float64{mag}}
		}
		return verify(p, tol, 0, nil, got.Widen(nil, 0, 1), refs), nil
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
// The Special set's check on a device that flushes subnormals holds
// those arrays again for the inputs flushed (5·chunkBytes, 20 MiB),
// which this leaves out.
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

// streamElements checks out[lo:hi] of an element-wise kernel or fma
// against the inputs of each of srcs.
func streamElements(p compute.Problem, tol tolerance, srcs []Source, got compute.Host, lo, hi, chunk int) Check {
	in := make([][][]float64, len(srcs))
	streams := make([][]*Stream, len(srcs))
	refs := make([]Reference, len(srcs))
	for j, src := range srcs {
		in[j], streams[j] = openInputs(p, src, lo, chunk)
		refs[j] = Reference{make([]float64, chunk), make([]float64, chunk)}
	}
	g := make([]float64, 0, chunk)
	part := make([][]float64, len(in[0]))
	sub := make([]Reference, len(srcs))
	chk := Check{OK: true, Worst: -1}
	for i0 := lo; i0 < hi; i0 += chunk {
		n := min(chunk, hi-i0)
		shape := compute.Vec(n)
		if p.Kernel.Form() == compute.ChainForm {
			shape = compute.Chain(n, p.Shape.K)
		}
		for j := range srcs {
			for i, st := range streams[j] {
				part[i] = in[j][i][:n]
				st.Fill(part[i])
			}
			w, m := refs[j].Want[:n], refs[j].Mag[:n]
			clear(w)
			clear(m)
			if err := computeInto(p.WithShape(shape), part, w, m); err != nil {
				panic("ref: " + err.Error()) // Streamed and Validate admitted p
			}
			sub[j] = Reference{w, m}
		}
		g = got.Widen(g[:0], i0, i0+n)
		chk.Merge(verify(p, tol, i0, nil, g, sub))
	}
	return chk
}

// streamTranspose checks the elements of out that A[lo:hi] (in row-major
// order) land on, against A drawn from each of srcs: A[i, j] is out[j, i],
// element j·M + i.
func streamTranspose(p compute.Problem, tol tolerance, srcs []Source, got compute.Host, lo, hi, chunk int) Check {
	s := p.Shape
	streams := make([]*Stream, len(srcs))
	refs, sub := make([]Reference, len(srcs)), make([]Reference, len(srcs))
	for j, src := range srcs {
		streams[j] = NewStreamOf(p, "A", src)
		streams[j].Seek(lo)
		refs[j] = Reference{make([]float64, chunk), make([]float64, chunk)}
	}
	g, idx := make([]float64, chunk), make([]int, chunk)
	chk := Check{OK: true, Worst: -1}
	for p0 := lo; p0 < hi; p0 += chunk {
		n := min(chunk, hi-p0)
		for j, st := range streams {
			a, mag := refs[j].Want[:n], refs[j].Mag[:n]
			st.Fill(a)
			for e, v := range a {
				mag[e] = math.Abs(v)
			}
			sub[j] = Reference{a, mag}
		}
		for e := range n {
			i := p0 + e
			idx[e] = (i%s.N)*s.M + i/s.N
			g[e] = got.At(idx[e])
		}
		chk.Merge(verify(p, tol, 0, idx[:n], g[:n], sub))
	}
	return chk
}

// streamGEMV checks out[lo:hi], rows lo..hi of A times x, a block of
// rows at a time (one where a row is longer than a chunk), against the
// inputs of each of srcs (x[j] being srcs[j]'s x).
func streamGEMV(p compute.Problem, tol tolerance, srcs []Source, x [][]float64, got compute.Host, lo, hi, chunk int) Check {
	s := p.Shape
	rows := max(1, chunk/s.N)
	streams := make([]*Stream, len(srcs))
	a := make([][]float64, len(srcs))
	refs, sub := make([]Reference, len(srcs)), make([]Reference, len(srcs))
	for j, src := range srcs {
		streams[j] = NewStreamOf(p, "A", src)
		streams[j].Seek(lo * s.N)
		a[j] = make([]float64, rows*s.N)
		refs[j] = Reference{make([]float64, rows), make([]float64, rows)}
	}
	g := make([]float64, 0, rows)
	chk := Check{OK: true, Worst: -1}
	for r0 := lo; r0 < hi; r0 += rows {
		r := min(rows, hi-r0)
		for j, st := range streams {
			st.Fill(a[j][:r*s.N])
			w, m := refs[j].Want[:r], refs[j].Mag[:r]
			clear(w)
			clear(m)
			if err := computeInto(p.WithShape(compute.Mat(r, s.N)), [][]float64{a[j][:r*s.N], x[j]}, w, m); err != nil {
				panic("ref: " + err.Error())
			}
			sub[j] = Reference{w, m}
		}
		g = got.Widen(g[:0], r0, r0+r)
		chk.Merge(verify(p, tol, r0, nil, g, sub))
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
