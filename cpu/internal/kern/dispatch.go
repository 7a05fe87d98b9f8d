package kern

import (
	"fmt"
	"strings"
)

// Level names a set of kernel implementations: the pure-Go generic code,
// or SIMD code for one instruction-set level.
type Level string

// float is the element types the kernels come in.
type float interface{ ~float32 | ~float64 }

const (
	Generic Level = "generic"
	AVX2    Level = "avx2" // AVX2 + FMA3, 256-bit
	AVX512  Level = "avx512"
	NEON    Level = "neon"
)

// impl is the table every public kernel calls through. installGeneric
// fills it with the pure-Go code; a SIMD level's install function then
// overwrites the entries it accelerates. (Before it does, setLevel points
// gemv at gemv32Rows, which runs on the level's dot kernel.) It is written only by SetLevel,
// never while kernels run.
//
// The dot and sum entries are leaves: they are called with at most Leaf
// elements, and may sum them in any order (several accumulators); Dot32,
// Sum32 and their float64 twins combine the leaves pairwise.
var impl struct {
	copy32      func(dst, x []float32)
	copy64      func(dst, x []float64)
	scale32     func(dst []float32, a float32, x []float32)
	scale64     func(dst []float64, a float64, x []float64)
	add32       func(dst, x, y []float32)
	add64       func(dst, x, y []float64)
	triad32     func(dst, x []float32, a float32, y []float32)
	triad64     func(dst, x []float64, a float64, y []float64)
	axpy32      func(dst []float32, a float32, x, y []float32)
	axpy64      func(dst []float64, a float64, x, y []float64)
	dot32       func(x, y []float32) float32
	dot64       func(x, y []float64) float64
	sum32       func(x []float32) float32
	sum64       func(x []float64) float64
	gemv32      func(dst, a []float32, lda int, x []float32)
	gemv64      func(dst, a []float64, lda int, x []float64)
	transpose32 func(dst []float32, ldd int, a []float32, lda, m, n int)
	transpose64 func(dst []float64, ldd int, a []float64, lda, m, n int)
	fma32       func(dst, x []float32, mul, add float32, k int)
	fma64       func(dst, x []float64, mul, add float64, k int)
}

func installGeneric() {
	impl.copy32, impl.copy64 = copy32Generic, copy64Generic
	impl.scale32, impl.scale64 = scale32Generic, scale64Generic
	impl.add32, impl.add64 = add32Generic, add64Generic
	impl.triad32, impl.triad64 = triad32Generic, triad64Generic
	impl.axpy32, impl.axpy64 = axpy32Generic, axpy64Generic
	impl.dot32, impl.dot64 = dot32Generic, dot64Generic
	impl.sum32, impl.sum64 = sum32Generic, sum64Generic
	impl.gemv32, impl.gemv64 = gemv32Generic, gemv64Generic
	impl.transpose32, impl.transpose64 = transpose32Generic, transpose64Generic
	impl.fma32, impl.fma64 = fmaGeneric[float32], fmaGeneric[float64]
}

type levelEntry struct {
	level   Level
	install func()
	restore func() // SetLevel's return value, made once so SetLevel does not allocate
}

var (
	levels       []levelEntry
	current      Level
	defaultLevel Level
)

// init makes sure the generic level exists where no architecture file
// registered a level; registerLevel adds it first where one did, whatever
// order the files' init functions run in.
func init() {
	if len(levels) == 0 {
		registerLevel(Generic, func() {})
	}
}

// registerLevel adds a level this CPU can run, with the function that
// overwrites impl's entries it accelerates (installGeneric has run just
// before). Architecture files call it from init, only for levels the CPU
// supports, in increasing order of preference: the last one registered
// becomes the current and default level.
func registerLevel(l Level, install func()) {
	if len(levels) == 0 && l != Generic {
		registerLevel(Generic, func() {})
	}
	for _, e := range levels {
		if e.level == l {
			panic("kern: level registered twice: " + string(l))
		}
	}
	levels = append(levels, levelEntry{level: l, install: install, restore: func() { setLevel(l) }})
	setLevel(l)
	defaultLevel = l
}

// Levels lists the levels available on this CPU, generic first and the
// default last.
func Levels() []Level {
	out := make([]Level, len(levels))
	for i, e := range levels {
		out[i] = e.level
	}
	return out
}

// Current is the level the kernels run at now.
func Current() Level { return current }

// Default is the level chosen at start-up: the best this CPU runs.
func Default() Level { return defaultLevel }

// SetLevel makes the kernels run at level l until the returned function
// is called, which restores the level that was current before:
//
//	defer kern.SetLevel(kern.Generic)()
//
// It must not be called while kernels run on other goroutines. It panics
// if l is not one of Levels(); ParseLevel checks a user's choice first.
func SetLevel(l Level) (restore func()) {
	prev := current
	setLevel(l)
	return find(prev).restore
}

func setLevel(l Level) {
	e := find(l)
	installGeneric()
	if l != Generic {
		impl.gemv32, impl.gemv64 = gemv32Rows, gemv64Rows
	}
	e.install()
	current = l
}

func find(l Level) *levelEntry {
	for i := range levels {
		if levels[i].level == l {
			return &levels[i]
		}
	}
	panic(fmt.Sprintf("kern: level %q is not available on this CPU (available: %v)", l, Levels()))
}

// ParseLevel reads a level's name and checks that this CPU runs it; the
// error says which levels it does.
func ParseLevel(s string) (Level, error) {
	l := Level(strings.ToLower(strings.TrimSpace(s)))
	for _, e := range levels {
		if e.level == l {
			return l, nil
		}
	}
	return "", fmt.Errorf("CPU level %q is not available here: choose one of %v", s, Levels())
}

// Best is the most preferred available level that is not in disabled,
// for a --cpu-disable flag; generic is never disabled.
func Best(disabled ...Level) Level {
	for i := len(levels) - 1; i > 0; i-- {
		ok := true
		for _, d := range disabled {
			if levels[i].level == d {
				ok = false
			}
		}
		if ok {
			return levels[i].level
		}
	}
	return Generic
}
