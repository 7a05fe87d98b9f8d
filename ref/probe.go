package ref

import (
	"fmt"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/gpubench/gpubench/compute"
)

// ProbeWidth is how many columns (rows) one probe of VerifyGEMMProbes
// sums over. It trades sensitivity against cost: a probe's tolerance is
// the sum of its ProbeWidth elements' bounds, so a narrower one sees a
// smaller error, but the check's arithmetic, about 4·M·N·K/ProbeWidth
// float64 multiply-adds a side (value and magnitude), grows as it
// narrows. 256 is the widest tile SampleIndices knows (edgeTiles), so
// that a probe holds whole tiles of every kernel listed there, and it
// keeps the check's arithmetic at 1/64 of the kernel's own, about as
// long as drawing the inputs takes (gemm 4096: half a second).
const ProbeWidth = 256

// VerifyGEMMProbes checks every row and every column of got, gemm's
// M×N result (read in place) for the inputs that InputsOf(p, src)
// makes, without computing any element of
// the reference: a Freivalds check (Freivalds 1977), blocked. With x a
// vector of N values drawn uniformly from [1, 2) by a PCG of seed, and
// the columns split into blocks J of ProbeWidth, it compares for every
// row i and block J
//
//	ŷ = Σ_{j∈J} x_j·out[i,j]   with   r̂ = α·Σ_l A[i,l]·(Σ_{j∈J} B[l,j]·x_j) + β·Σ_{j∈J} C[i,j]·x_j,
//
// and, with x′ of M values and the rows in blocks I, Σ_{i∈I} x′_i·out[i,j]
// with α·Σ_l (Σ_{i∈I} x′_i·A[i,l])·B[l,j] + β·Σ_{i∈I} x′_i·C[i,j] for
// every column j. The inputs are drawn from their streams again: B
// twice (once for B·X, once after A for X′ᵀA·B), A and C once, a block
// of rows at a time, so that memory is GEMMProbesBytes and time about
// 2·K·N + M·K + M·N draws beside 4·(M+N)·K·N/ProbeWidth multiply-adds
// (value and magnitude) in gonum's dgemm. The work is split over
// GOMAXPROCS goroutines by blocks of rows or columns, each sum built by
// one goroutine in the serial order, so that the sums and the verdict
// are the same bits for any count (measurements:
// docs/methodology.md#why-these-constants).
//
// Tolerance. Each element satisfies |out[i,j] − exact[i,j]| ≤ b(mag[i,j])
// with b = compute.Bound, affine in mag: b(m) = g·m + T, where
// mag = |α|·Σ_l|A[i,l]||B[l,j]| + |β||C[i,j]|. With x > 0 the exact
// sums differ by at most Σ_{j∈J} x_j·b(mag[i,j]) = g·M + T·Σx_j, where
// M = |α|·Σ_l|A[i,l]|·(Σ_J|B[l,j]|·x_j) + |β|·Σ_J|C[i,j]|·x_j is the
// same computation on magnitudes, done beside it. The check's own
// float64 sums have depth at most d = ProbeWidth + K + 2 (a block's sum,
// then K terms, α, β and one addition), so each is within γ(d) of its
// terms' magnitudes (Higham §3.1): |r̂ − r| ≤ γ·M, |ŷ − y| ≤ γ·G with
// G = Σ_J x_j·|out[i,j]|, and the computed M̂, Ĝ are at least (1 − γ)
// times the exact ones. A probe therefore passes where
//
//	|ŷ − r̂| ≤ b(M̂/(1−γ)) + T·(2·|J| − 1) + γ·(M̂ + Ĝ)/(1−γ) + U,
//
// with γ = γ_f64(d + 8) leaving room for the few roundings of the
// tolerance itself, x_j < 2, and U what the check's own products can
// lose to float64 underflow (half float64's smallest subnormal for each
// of at most 2·(ProbeWidth+1)·(K+2)); the whole is widened by (1 + γ).
// A probe where Ĝ is infinite fails: M̂ is finite, so no element of out
// may be infinite. A correct result always passes.
//
// What it catches. An error e in one element changes ŷ by x_j·e, with
// x_j ≥ 1: any single element wrong by more than its probe's tolerance,
// about ProbeWidth times the element bound, fails, whatever x, as does a
// NaN or an infinity anywhere (ŷ is then not finite; the inputs are).
// Errors in several elements of a block add as Σ x_j·e_j: with x drawn
// independently of the result, continuous and positive, they cancel only
// by chance, errors of one sign never. A zeroed or garbage row or
// column, a wrong tile, a column shifted into its neighbour's place: each
// leaves errors as large as the elements themselves in the rows and
// columns it touches, and each probe over them catches it unless the
// random sum falls within the tolerance. At gemm 4096 in float32 (K =
// 4096, inputs in [−1, 1), α = 1.5) an element's bound is about 0.37
// and its spread about 32, so a block's tolerance (≈ 144) is about a
// fifth of a zeroed block's spread (≈ 780): one probe misses it with
// probability ≈ 0.15, a zeroed row passes its 16 probes with
// probability ≈ 10⁻¹³. A wrong tile is caught the more surely the
// larger it is: a 16×16 one passes its 32 probes with probability about
// 10⁻⁸, a 4×4 one about a third of the time. Smaller K makes the bound
// smaller against the spread (it grows as K^1.5 against K^0.5), and
// every probe surer.
//
// What it cannot catch: an error within a probe's tolerance, that is an
// element off by less than about ProbeWidth of its own bounds (a
// rounding error somewhat past the bound, a wrong low bit), which only
// an element check of that very element (the sample) or a full check
// sees.
//
// Inputs holding NaN or ±Inf (which Inputs never makes) would make the
// sums NaN whatever the result: then it checks nothing and returns
// false, leaving the sample alone to judge. A probe whose magnitude
// reaches dt's overflow threshold, where an element may rightly be
// infinite, is skipped the same way. Otherwise it returns true and the
// Check: Bad counts the probes that failed, Reason names the first (row
// and columns, or column and rows) with both sums and the tolerance.
//
// On the Exact inputs (src.Set) the probe vectors are integers in
// [1, 16] and the tolerance is zero: every element is an integer
// multiple of the scalars' grid of at most exactProbeBits bits
// (ExactRange), so each of the sums above, at most 2⁸ terms of such a
// value times 2⁴, or K terms of A's elements times such sums, is an
// integer multiple of the grid below 2⁵³ whatever the order of its
// additions: float64 computes every one exactly, and a correct result
// gives ŷ = r̂ to the bit. Then any single wrong element fails its row's
// and its column's probe for certain, and errors in several elements of
// a probe fail it unless their weighted sum is exactly zero.
func VerifyGEMMProbes(p compute.Problem, leaf int, src Source, got compute.Host) (Check, bool) {
	read := func(name string, v []float64, start, rows, width, ld int) {
		readBlock(NewStreamOf(p, name, src), v, start, rows, width, ld)
	}
	exact := src.Set == Exact
	x, xr := probeVector(src.Seed, "x", p.Shape.N, exact), probeVector(src.Seed, "x′", p.Shape.M, exact)
	return gemmProbes(p, tolFor(src.Set, leaf), read, x, xr, got)
}

// GEMMProbesBytes is the memory VerifyGEMMProbes works in for shape s:
// the probe vectors, the sums of both sides (value and magnitude), and
// two arrays for each of the GOMAXPROCS parts that hold its share of
// chunkBytes, or a row of A, B or C where that is longer.
func GEMMProbesBytes(s compute.Shape) float64 {
	q, p := ceilDiv(s.N, ProbeWidth), ceilDiv(s.M, ProbeWidth)
	parts := runtime.GOMAXPROCS(0)
	return 8 * float64(s.N+s.M+2*s.K*q+6*s.M*q+2*p*s.K+6*p*s.N+2*parts*probeBuffer(s, parts))
}

// probeBuffer is the length of each of a part's two arrays: its share
// of chunkBytes, or a row of A, B or C where that is longer.
func probeBuffer(s compute.Shape, parts int) int { return max(partChunk(parts), s.K, s.N) }

// partChunk is each part's share of chunkBytes, in float64s.
func partChunk(parts int) int { return max(1, chunkBytes/8/parts) }

// probeVector is n values uniform in [1, 2) from a PCG of seed, one
// sequence for each side; where exact, integers uniform in [1, 16].
func probeVector(seed uint64, side string, n int, exact bool) []float64 {
	h := fnv.New64a()
	fmt.Fprintf(h, "probe/gemm/%s", side)
	r := rand.New(rand.NewPCG(seed, h.Sum64()))
	v := make([]float64, n)
	for i := range v {
		if exact {
			v[i] = float64(1 + r.IntN(16))
		} else {
			v[i] = 1 + r.Float64()
		}
	}
	return v
}

// readBlock sets v to rows×width elements of st's operand, a row-major
// matrix with rows of ld elements: row r of v is elements
// start + r·ld … start + r·ld + width − 1. It jumps from row to row with
// one step of the generator's affine map (see seek.go), not a Seek.
func readBlock(st *Stream, v []float64, start, rows, width, ld int) {
	if width == ld {
		st.Seek(start)
		st.Fill(v[:rows*width])
		return
	}
	at := pcgStep.pow(start).apply(st.origin)
	jump := pcgStep.pow(ld)
	for r := range rows {
		st.at(start+r*ld, at)
		st.Fill(v[r*width : (r+1)*width])
		at = jump.apply(at)
	}
}

// probeSums are the sums that the probes compare (see VerifyGEMMProbes),
// each with its magnitude: for row i and column block t, element i·q + t
// of S (Σ_l A[i,l]·V[l,t]), CX (Σ_J C[i,j]·x_j) and Y (Σ_J out[i,j]·x_j);
// for row block t and column j, element t·N + j of Z (Σ_l U[t,l]·B[l,j]),
// ZC and W (Σ_I x′_i·C[i,j], Σ_I x′_i·out[i,j]).
type probeSums struct {
	S, Sa, CX, CXa, Y, G  []float64
	Z, Za, ZC, ZCa, W, Wa []float64
	finite                bool // no input drawn was NaN or infinite
}

// gemmProbes is VerifyGEMMProbes with the inputs read by read (elements
// of operand name as readBlock reads them, safe to call from several
// goroutines) and the probe vectors given.
func gemmProbes(p compute.Problem, tol tolerance,
	read func(name string, v []float64, start, rows, width, ld int), x, xr []float64, got compute.Host) (Check, bool) {
	sums := gemmProbeSums(p.Shape, p.Alpha, p.Beta, read, x, xr, got)
	if !sums.finite {
		return Check{OK: true, Worst: -1}, false
	}
	return probeVerdict(p, tol, sums)
}

// gemmProbeSums computes the probes' sums on GOMAXPROCS goroutines, each
// over its own rows of B, blocks of ProbeWidth rows of A, C and out, or
// blocks of ProbeWidth columns of B, so that every sum is made by one
// goroutine in the order a serial loop makes it: the sums are the same
// bits however many goroutines there are.
func gemmProbeSums(s compute.Shape, alpha, beta float64,
	read func(name string, v []float64, start, rows, width, ld int), x, xr []float64, got compute.Host) *probeSums {
	m, n, kk := s.M, s.N, s.K
	w := ProbeWidth
	q, p := ceilDiv(n, w), ceilDiv(m, w)
	parts := runtime.GOMAXPROCS(0)
	chunk, bufLen := partChunk(parts), probeBuffer(s, parts)
	// bufs[i] are part i's two arrays, made when first used.
	bufs := make([][2][]float64, parts)
	buffers := func(part int) ([]float64, []float64) {
		if bufs[part][0] == nil {
			bufs[part] = [2][]float64{make([]float64, bufLen), make([]float64, bufLen)}
		}
		return bufs[part][0], bufs[part][1]
	}
	var spoilt atomic.Bool
	draw := func(name string, v []float64, start, rows, width, ld int) {
		read(name, v, start, rows, width, ld)
		for _, e := range v[:rows*width] {
			if e-e != 0 { // NaN or ±Inf
				spoilt.Store(true)
			}
		}
	}
	ps := &probeSums{
		S: make([]float64, m*q), Sa: make([]float64, m*q), CX: make([]float64, m*q), CXa: make([]float64, m*q),
		Y: make([]float64, m*q), G: make([]float64, m*q),
		Z: make([]float64, p*n), Za: make([]float64, p*n), ZC: make([]float64, p*n), ZCa: make([]float64, p*n),
		W: make([]float64, p*n), Wa: make([]float64, p*n),
	}
	if alpha != 0 {
		// Row side, α part: V = B·X and |B|·X (K×q), then S = A·V (M×q).
		// Column side, α part: U = X′ᵀ·A (p×K), then Z = U·B (p×N).
		V, Va := make([]float64, kk*q), make([]float64, kk*q)
		inParts(kk, parts, func(part, l0, l1 int) {
			b, _ := buffers(part)
			rows := max(1, chunk/n)
			for l := l0; l < l1; l += rows {
				r := min(rows, l1-l)
				draw("B", b, l*n, r, n, n)
				for e := range r {
					row := b[e*n : (e+1)*n]
					for t := range q {
						var v, va float64
						for j := t * w; j < min(n, (t+1)*w); j++ {
							v += row[j] * x[j]
							va += math.Abs(row[j]) * x[j]
						}
						V[(l+e)*q+t], Va[(l+e)*q+t] = v, va
					}
				}
			}
		})
		U, Ua := make([]float64, p*kk), make([]float64, p*kk)
		inParts(p, parts, func(part, t0, t1 int) {
			a, aa := buffers(part)
			rows := max(1, chunk/kk)
			for i0 := t0 * w; i0 < min(m, t1*w); i0 += rows {
				r := min(rows, min(m, t1*w)-i0)
				draw("A", a, i0*kk, r, kk, kk)
				for e, v := range a[:r*kk] {
					aa[e] = math.Abs(v)
				}
				gemmAcc(r, q, kk, a, kk, V, q, ps.S[i0*q:], q)
				gemmAcc(r, q, kk, aa, kk, Va, q, ps.Sa[i0*q:], q)
				for i := range r {
					t, xi := (i0+i)/w, xr[i0+i]
					u, ua := U[t*kk:(t+1)*kk], Ua[t*kk:(t+1)*kk]
					for l, v := range a[i*kk : (i+1)*kk] {
						u[l] += xi * v
						ua[l] += xi * math.Abs(v)
					}
				}
			}
		})
		inParts(q, parts, func(part, t0, t1 int) {
			bb, ba := buffers(part)
			j0, cols := t0*w, min(n, t1*w)-t0*w
			rows := max(1, chunk/cols)
			for l0 := 0; l0 < kk; l0 += rows {
				c := min(rows, kk-l0)
				draw("B", bb, l0*n+j0, c, cols, n)
				for e, v := range bb[:c*cols] {
					ba[e] = math.Abs(v)
				}
				gemmAcc(p, cols, c, U[l0:], kk, bb, cols, ps.Z[j0:], n)
				gemmAcc(p, cols, c, Ua[l0:], kk, ba, cols, ps.Za[j0:], n)
			}
		})
	}
	// β parts and the result's sums, a block of rows of C and of out at
	// a time. Row side: CX, Y (M×q); column side: ZC, W (p×N).
	inParts(p, parts, func(part, t0, t1 int) {
		c, o := buffers(part)
		rows := max(1, chunk/n)
		for i0 := t0 * w; i0 < min(m, t1*w); i0 += rows {
			r := min(rows, min(m, t1*w)-i0)
			if beta != 0 {
				draw("C", c, i0*n, r, n, n)
			}
			o = got.Widen(o[:0], i0*n, (i0+r)*n)
			for e := range r {
				i := i0 + e
				t, xi := i/w, xr[i]
				for j, v := range o[e*n : (e+1)*n] {
					ps.Y[i*q+j/w] += x[j] * v
					ps.G[i*q+j/w] += x[j] * math.Abs(v)
					ps.W[t*n+j] += xi * v
					ps.Wa[t*n+j] += xi * math.Abs(v)
				}
				if beta != 0 {
					for j, v := range c[e*n : (e+1)*n] {
						ps.CX[i*q+j/w] += x[j] * v
						ps.CXa[i*q+j/w] += x[j] * math.Abs(v)
						ps.ZC[t*n+j] += xi * v
						ps.ZCa[t*n+j] += xi * math.Abs(v)
					}
				}
			}
		}
	})
	ps.finite = !spoilt.Load()
	return ps
}

// inParts splits 0..n into contiguous ranges, at most parts of them, and
// runs f on each in a goroutine of its own (part numbers them from 0),
// returning when all have.
func inParts(n, parts int, f func(part, lo, hi int)) {
	parts = min(parts, n)
	if parts <= 1 {
		if n > 0 {
			f(0, 0, n)
		}
		return
	}
	var wg sync.WaitGroup
	for part := range parts {
		wg.Go(func() { f(part, part*n/parts, (part+1)*n/parts) })
	}
	wg.Wait()
}

// probeVerdict compares the sums of every probe, rows first, then
// columns (see VerifyGEMMProbes for the tolerance).
func probeVerdict(pr compute.Problem, t tolerance, ps *probeSums) (Check, bool) {
	s, dt, alpha, beta := pr.Shape, pr.DType, pr.Alpha, pr.Beta
	m, n, kk := s.M, s.N, s.K
	w := ProbeWidth
	q, p := ceilDiv(n, w), ceilDiv(m, w)
	maxFinite := math.MaxFloat64
	if dt == compute.Float32 {
		maxFinite = math.MaxFloat32
	}
	g := compute.Gamma(w+kk+2+8, compute.Float64.UnitRoundoff())
	// tiny: the T of b(m) = g·m + T; under64: what the check's own
	// products can lose to float64's underflow, half its smallest
	// subnormal each, over at most 2·(ProbeWidth+1)·(K+2) products.
	t = t.with(pr)
	tiny := t.bound(0)
	under64 := float64(2*(w+1)*(kk+2)) * compute.Float64.Tiny()
	chk := Check{OK: true, Worst: -1}
	skipped := false
	// probe compares one probe: side "row" (index i, columns lo..hi−1)
	// or "column" (index j, rows lo..hi−1).
	probe := func(side string, i, lo, hi int, y, gy, sa, sb, ma, mb float64) {
		r := alpha*sa + beta*sb
		mag := math.Abs(alpha)*ma + math.Abs(beta)*mb
		if !(mag < maxFinite/2) {
			skipped = true
			return
		}
		tol := 0.0 // the exact inputs' sums are exact
		if !t.exact {
			tol = (t.bound(mag/(1-g)) + tiny*float64(2*(hi-lo)-1) + g*(mag+gy)/(1-g) + under64) * (1 + g)
		}
		// An infinite gy (an infinity in out) would make tol infinite:
		// where mag is finite, no element may be.
		diff := math.Abs(y - r)
		if diff <= tol && !math.IsInf(gy, 0) {
			return
		}
		chk.OK = false
		// The probe's own ratio, so that a case the probes fail shows
		// how far it failed by, not the sample's ratio.
		ratio := math.Inf(1)
		if tol > 0 && !math.IsNaN(diff) {
			ratio = diff / tol
		}
		if ratio > chk.Ratio || chk.Worst < 0 {
			chk.Ratio, chk.Bound = ratio, tol
			chk.Worst = i*n + lo
			if side == "column" {
				chk.Worst = lo*n + i
			}
		}
		if chk.Bad == 0 {
			other := map[string]string{"row": "columns", "column": "rows"}[side]
			weights := "probe x uniform in [1, 2)"
			if t.exact {
				weights = "exact inputs, probe x integers in [1, 16]"
			}
			chk.Reason = fmt.Sprintf("%s %d, %s %d–%d: Σ x·out = %g, Σ x·(α·A·B + β·C) = %g, difference %.3g beyond the summed bound %.3g (%s)",
				side, i, other, lo, hi-1, y, r, math.Abs(y-r), tol, weights)
			if math.IsNaN(y) || math.IsInf(y, 0) || math.IsInf(gy, 0) {
				chk.Reason = fmt.Sprintf("%s %d, %s %d–%d: Σ x·out = %g, where the inputs and Σ x·(α·A·B + β·C) = %g are finite",
					side, i, other, lo, hi-1, y, r)
			}
		}
		chk.Bad++
	}
	for i := range m {
		for t := range q {
			e := i*q + t
			probe("row", i, t*w, min(n, (t+1)*w), ps.Y[e], ps.G[e], ps.S[e], ps.CX[e], ps.Sa[e], ps.CXa[e])
		}
	}
	for t := range p {
		for j := range n {
			e := t*n + j
			probe("column", j, t*w, min(m, (t+1)*w), ps.W[e], ps.Wa[e], ps.Z[e], ps.ZC[e], ps.Za[e], ps.ZCa[e])
		}
	}
	if skipped && chk.OK {
		return chk, false
	}
	return chk, true
}

func ceilDiv(a, b int) int { return (a + b - 1) / b }
