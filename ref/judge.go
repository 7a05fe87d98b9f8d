package ref

import (
	"slices"

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

// Judge is the verdict on got, p's result on the inputs of src as
// device dev computed it (summing in runs of dev.SumLeaf terms), and how
// many of its elements were compared one by one. It is the one entry
// point of verification; the caller chooses only whether the result is
// sampled, a question of the check's cost:
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
// and must be exact on the Exact ones (see InputSet). On the Special
// inputs they are held by IEEE rules too (Verify), and where dev
// flushes subnormals (compute.Device.FlushesSubnormals) an element also
// passes against the inputs flushed (Source.Flushed), within
// FlushAllowance. gemm's Special pass goes through Elements, whose plain
// loops form every product as IEEE says, never through GEMMChunks or the
// probes (gonum's dgemm skips a term whose α·a is zero, dropping the NaN
// of 0·Inf; the probes' sums of inputs holding NaN check nothing): its
// sample (every element where it is not sampled) adds every element the
// special values reach (specialReach), so that a NaN or an infinity
// lost anywhere is caught for certain.
func Judge(p compute.Problem, dev compute.Device, src Source, sampled bool, got compute.Host) (Check, int, error) {
	if err := p.Validate(); err != nil {
		return Check{}, 0, err
	}
	tol := tolOn(p, dev, src)
	special := src.Set == Special
	switch {
	case sampled && got.Len() > SampleSize:
		return judgeSample(p, tol, src, got)
	case Streamed(p.Kernel):
		chk, err := verifyStream(p, tol, src, got)
		return chk, got.Len(), err
	case special:
		idx := make([]int, got.Len())
		for i := range idx {
			idx[i] = i
		}
		chk, err := judgeElements(p, tol, src, idx, got)
		return chk, len(idx), err
	}
	return judgeChunked(p, tol, src, got), got.Len(), nil
}

// judgeSample checks the elements of got (read where the download left
// it, never widened whole) that SampleIndices chooses, and for the
// Special inputs every element they reach, against their element-wise
// reference, and a gemm's every row and column through VerifyGEMMProbes.
func judgeSample(p compute.Problem, tol tolerance, src Source, got compute.Host) (Check, int, error) {
	idx := SampleIndices(p.Kernel, p.Shape, SampleSize, src.Seed)
	if src.Set == Special {
		idx = slices.Compact(slices.Sorted(slices.Values(append(idx, specialReach(p, src)...))))
	}
	chk, err := judgeElements(p, tol, src, idx, got)
	if err != nil {
		return Check{}, 0, err
	}
	if p.Kernel == compute.Gemm && src.Set != Special {
		// The probes check nothing (ok false) only for inputs holding NaN
		// or Inf, which these sets never draw, or a result that may
		// rightly overflow: the sample then judges alone.
		if pc, ok := VerifyGEMMProbes(p, tol.leaf, src, got); ok {
			chk.Merge(pc)
		}
	}
	return chk, len(idx), nil
}

// elementsBlock is how many elements judgeElements computes at once:
// their want and mag (and the flushed inputs' too) stay within a few
// chunkBytes whatever the result's size.
const elementsBlock = chunkBytes / 8

// judgeElements checks the elements idx of got (sorted) against Elements,
// a block at a time; where tol is flushed, against the inputs flushed
// too.
func judgeElements(p compute.Problem, tol tolerance, src Source, idx []int, got compute.Host) (Check, error) {
	chk := Check{OK: true, Worst: -1}
	g := make([]float64, 0, min(len(idx), elementsBlock))
	for i0 := 0; i0 < len(idx); i0 += elementsBlock {
		part := idx[i0:min(len(idx), i0+elementsBlock)]
		want, mag, err := Elements(p, src, part)
		if err != nil {
			return Check{}, err
		}
		refs := []Reference{{want, mag}}
		if tol.flushed {
			fw, fm, err := Elements(p, flushed(src), part)
			if err != nil {
				return Check{}, err
			}
			refs = append(refs, Reference{fw, fm})
		}
		g = g[:0]
		for _, e := range part {
			g = append(g, got.At(e))
		}
		chk.Merge(verify(p, tol, 0, part, g, refs))
	}
	return chk, nil
}

// judgeChunked checks every element of got, a gemm's result, against
// its reference made a block of rows at a time (GEMMChunks).
func judgeChunked(p compute.Problem, tol tolerance, src Source, got compute.Host) Check {
	chk := Check{OK: true, Worst: -1}
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
