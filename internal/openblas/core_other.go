//go:build openblas && cgo && !(linux && amd64)

package openblas

import "os"

// CoretypeEnv says what OPENBLAS_CORETYPE is (set false where unset);
// only Linux on amd64 replaces a core without AVX-512 at start-up (see
// core.go), so replaced is false here.
func CoretypeEnv() (was string, set, replaced bool) {
	was, set = os.LookupEnv("OPENBLAS_CORETYPE")
	return was, set, false
}

// CoreForced says which core OpenBLAS chose by itself where start-up made
// it choose again; only Linux on amd64 does (see core.go), so forced is
// false here.
func CoreForced() (chose string, forced bool) { return "", false }
