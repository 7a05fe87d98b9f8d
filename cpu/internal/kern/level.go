package kern

import (
	"fmt"
	"strings"

	"github.com/gpubench/gpubench/compute"
)

// Level is a SIMD level: the pure-Go generic code, or SIMD code for one
// instruction-set level. It is the one type that names a level, from
// the kernels' tables up to the cpu backend and cpu/blas, which export
// it as their own Level.
type Level string

const (
	Generic Level = "generic"
	AVX2    Level = "avx2" // AVX2 + FMA3, 256-bit
	AVX512  Level = "avx512"
	NEON    Level = "neon"
)

// Known lists every level a build may run, whether or not this one (or
// this CPU) does, generic first.
func Known() []Level { return []Level{Generic, AVX2, AVX512, NEON} }

// ParseLevel reads a level's name, case-insensitive and trimmed. It is
// the one place a level is parsed; a name that is not a level is an
// error wrapping compute.ErrUsage that lists the known ones.
func ParseLevel(name string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(name)))
	for _, k := range Known() {
		if l == k {
			return l, nil
		}
	}
	return "", fmt.Errorf("%w: %q is not a CPU level: use one of %v", compute.ErrUsage, name, Known())
}

// Available lists the levels whose kernels this build has and this CPU
// and OS run, generic first and the best last. Which CPU features make
// up each level is checked here (simdLevels) and nowhere else.
func Available() []Level { return append([]Level{Generic}, simdLevels()...) }

// unavailable is the error for level l, which this CPU or build does
// not run: it names those it does.
func unavailable(l Level) error {
	return fmt.Errorf("%w: CPU level %s is not available here: choose one of %v", compute.ErrUnavailable, l, Available())
}
