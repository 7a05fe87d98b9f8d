package gemm

import (
	"fmt"

	"github.com/gpubench/gpubench/cpu/internal/kern"
)

// level is one set of micro-kernels, for float32 and float64, named as
// the kern.Level it goes with.
type level struct {
	name string
	k32  *kernel[float32]
	k64  *kernel[float64]
}

// available lists the levels this CPU runs, best first; the generic
// level is always last.
var available = append(asmLevels(), level{string(kern.Generic), generic32, generic64})

// current is the level of the CPU backend's one switch, kern.Current(),
// so that kern.SetLevel (and --cpu-disable) moves gemm too. A kern level
// gemm has no kernel for (neon) runs the generic kernel.
func current() *level { return levelFor(kern.Current()) }

func levelFor(l kern.Level) *level {
	name := string(l)
	for i := range available {
		if available[i].name == name {
			return &available[i]
		}
	}
	return &available[len(available)-1]
}

// kernel32 and kernel64 return the micro-kernels of the current level.
func kernel32() *kernel[float32] { return current().k32 }
func kernel64() *kernel[float64] { return current().k64 }

// Level names the micro-kernels a call made now would use: "avx512",
// "avx2" or "generic".
func Level() string { return current().name }

// Describe says which micro-kernels gemm runs at kern level l, with
// their tiles and block sizes, for a report: for example
// "avx512: f32 14×32 (mc 1022, kc 192, nc 4096), f64 14×16 (...)".
func Describe(l kern.Level) string {
	lv := levelFor(l)
	b32, b64 := lv.k32.blocks, lv.k64.blocks
	return fmt.Sprintf("%s: f32 %d×%d (mc %d, kc %d, nc %d), f64 %d×%d (mc %d, kc %d, nc %d)",
		lv.name, lv.k32.mr, lv.k32.nr, b32.mc, b32.kc, b32.nc, lv.k64.mr, lv.k64.nr, b64.mc, b64.kc, b64.nc)
}
