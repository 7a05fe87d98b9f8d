//go:build openblas && cgo && !(linux && amd64)

package peer

import "os"

// coretypeEnv says what OPENBLAS_CORETYPE is (set false where unset);
// only Linux on amd64 replaces a core without AVX-512 at start-up (see
// openblas_core.go), so replaced is false here.
func coretypeEnv() (was string, set, replaced bool) {
	was, set = os.LookupEnv("OPENBLAS_CORETYPE")
	return was, set, false
}
