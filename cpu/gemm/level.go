package gemm

import "slices"

// level is one set of micro-kernels, for float32 and float64.
type level struct {
	name string
	k32  *kernel[float32]
	k64  *kernel[float64]
}

// available lists the levels this CPU runs, best first; the generic
// level is always last. current is the one in use.
var (
	available = append(asmLevels(), level{"generic", generic32, generic64})
	current   = available[0]
)

// kernel32 and kernel64 return the micro-kernels of the current level.
func kernel32() *kernel[float32] { return current.k32 }
func kernel64() *kernel[float64] { return current.k64 }

// levels names the kernel levels this CPU runs, best first.
func levels() []string {
	names := make([]string, len(available))
	for i, l := range available {
		names[i] = l.name
	}
	return names
}

// Level names the micro-kernels in use: "avx512", "avx2" or "generic".
func Level() string { return current.name }

// setLevel makes the named level current and returns a function that
// restores the previous one. It panics on a level this CPU cannot run.
// Not safe for use concurrently with Gemm32 or Gemm64.
func setLevel(name string) (restore func()) {
	i := slices.IndexFunc(available, func(l level) bool { return l.name == name })
	if i < 0 {
		panic("gemm: level " + name + " is not available on this CPU")
	}
	prev := current
	current = available[i]
	return func() { current = prev }
}
