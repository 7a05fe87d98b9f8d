package ref

import (
	"github.com/gpubench/gpubench/compute"
)

// SampleSize is how many elements a sampled check (see Judge) compares
// one by one. A fault that spoils a fraction f of the elements escapes
// all of them with probability (1 − f)^SampleSize ≈ e^(−4096·f): a
// wrong 1 % of elements is always caught (1 − 10⁻¹⁸), but one wrong row
// or column of a 4096² result (f = 1/4096) only 63 % of the time, which
// is why a sampled gemm is also checked through probes
// (VerifyGEMMProbes): on the Random inputs every row and every column,
// each against the sum of its elements' bounds over a block of
// ProbeWidth, catches for certain any single element wrong by more than
// that sum and a NaN or an infinity anywhere, and a zeroed or garbage
// row or column all but for certain; on the Exact inputs the probes are
// exact and catch any wrong element anywhere. The tile edges, where
// blocked kernels go wrong most, are in every sample (SampleIndices).
const SampleSize = 4096

// Judge is the verdict on got, p's result on the inputs of src, as a
// backend that sums in runs of leaf terms computed it, and how many of
// its elements were compared one by one. It is the one entry point of
// verification; the caller chooses only whether the result is sampled,
// a question of the check's cost:
//
//   - sampled: the SampleSize elements SampleIndices chooses (every one
//     of a smaller result) against Elements, and a gemm's every row and
//     column through VerifyGEMMProbes; an element of the sample that
//     fails is reported before a probe;
//   - otherwise every element: gemm against GEMMChunks, a block of rows
//     at a time, each row of got widened only as it is compared; the
//     other kernels streaming (VerifyStream).
//
// Elements are held to compute.Bound on the Random and Positive inputs
// and must be exact on the Exact ones (see InputSet).
func Judge(p compute.Problem, leaf int, src Source, sampled bool, got compute.Host) (Check, int, error) {
	if err := p.Validate(); err != nil {
		return Check{}, 0, err
	}
	switch {
	case sampled && got.Len() > SampleSize:
		return judgeSample(p, leaf, src, got)
	case Streamed(p.Kernel):
		chk, err := VerifyStream(p, leaf, src, got)
		return chk, got.Len(), err
	}
	return judgeChunked(p, leaf, src, got), got.Len(), nil
}

// judgeSample checks the elements of got (read where the download left
// it, never widened whole) that SampleIndices chooses, against their
// element-wise reference, and a gemm's every row and column through
// VerifyGEMMProbes.
func judgeSample(p compute.Problem, leaf int, src Source, got compute.Host) (Check, int, error) {
	idx := SampleIndices(p.Kernel, p.Shape, SampleSize, src.Seed)
	want, mag, err := Elements(p, src, idx)
	if err != nil {
		return Check{}, 0, err
	}
	g := make([]float64, len(idx))
	for i, e := range idx {
		g[i] = got.At(e)
	}
	chk := verifyAt(p, tolFor(src.Set, leaf), idx, g, want, mag)
	if p.Kernel == compute.Gemm {
		// The probes check nothing (ok false) only for inputs holding NaN
		// or Inf, which the streams never draw, or a result that may
		// rightly overflow: the sample then judges alone.
		if pc, ok := VerifyGEMMProbes(p, leaf, src, got); ok {
			chk.Merge(pc)
		}
	}
	return chk, len(idx), nil
}

// judgeChunked checks every element of got, a gemm's result, against
// its reference made a block of rows at a time (GEMMChunks).
func judgeChunked(p compute.Problem, leaf int, src Source, got compute.Host) Check {
	chk := Check{OK: true, Worst: -1}
	tol := tolFor(src.Set, leaf)
	n := p.Shape.N
	part := make([]float64, 0, n)
	GEMMChunks(p, src, func(row int, want, mag []float64) {
		for i := 0; i < len(want); i += n {
			off := row*n + i
			part = got.Widen(part[:0], off, off+n)
			chk.Merge(verify(p, tol, off, nil, part, []Reference{{want[i : i+n], mag[i : i+n]}}))
		}
	})
	return chk
}
