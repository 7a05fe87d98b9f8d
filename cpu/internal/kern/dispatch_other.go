//go:build !amd64 || noasm

package kern

// asmSets is empty: this platform (or -tags noasm) has the generic
// kernels only.
func asmSets() []*Set { return nil }
