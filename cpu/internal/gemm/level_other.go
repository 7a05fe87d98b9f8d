//go:build !amd64 || noasm

package gemm

import "github.com/gpubench/gpubench/cpu/internal/kern"

// asmLevel returns nil: this platform (or -tags noasm) has the generic
// kernel only.
func asmLevel(kern.Level, Caches) *Level { return nil }
