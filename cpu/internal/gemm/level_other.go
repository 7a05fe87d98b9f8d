//go:build !amd64 || noasm

package gemm

// asmLevels is empty: this platform (or -tags noasm) has the generic
// kernel only.
func asmLevels(caches) []*Level { return nil }
