// Package ref computes reference results for the kernel catalogue in
// float64 (with gonum for the matrix kernels, and compensated sums for
// dot and sum, so that a float64 kernel's bound is its own), and checks
// a backend's result against them within the kernel's derived error
// bound (compute.Bound).
//
// Inputs come from seeded streams (Seeded, NewStream): the same seed
// gives the same bytes on every machine, and a stream can be drawn again
// a chunk at a time, so that a check need not hold a float64 copy of
// every operand. Passes lists the input sets a problem is checked on
// (InputSet: random, exact integers, positive values with spikes,
// special values).
//
// Judge is the one entry point of verification:
//
//	chk, compared, err := ref.Judge(p, dev, ref.Seeded(seed), sampled, got)
//
// The caller chooses only whether the result is sampled, a question of
// the check's cost. Unsampled, every element is compared: gemm a block
// of rows at a time (GEMMChunks), the other kernels streaming
// (VerifyStream). Sampled, the elements SampleIndices chooses are, and a
// gemm's every row and column through blocked Freivalds probes
// (VerifyGEMMProbes). The Check it returns holds the largest error, its
// bound, and the first element out of it.
package ref
