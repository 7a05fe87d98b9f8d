//go:build !amd64 || noasm

package kern

// simdLevels is empty: this platform (or -tags noasm) has the generic
// kernels only.
func simdLevels() []Level { return nil }

// newAsmSet is never called: simdLevels lists no level.
func newAsmSet(l Level) *Set { panic("kern: no SIMD kernels for " + string(l) + " in this build") }
