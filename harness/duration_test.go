package harness

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/hwinfo"
)

// TestCheckRefusesPastADay: each timing setting that makes even one
// case of the shortest runs take past a day is refused before anything
// runs, as a usage error naming that setting, with the estimate; Long
// allows it; the defaults and the usual settings pass.
func TestCheckRefusesPastADay(t *testing.T) {
	for _, c := range []struct {
		name  string
		set   func(*Config)
		field string
		est   string
	}{
		{"reps", func(c *Config) { c.Reps = 1e9 }, "Reps", "11 days"},
		{"min rep time", func(c *Config) { c.MinRepTime = 1000 * time.Hour }, "MinRepTime", "1.14 years"},
		{"min warm-up time", func(c *Config) { c.MinWarmupTime = 1000 * time.Hour }, "MinWarmupTime", "41 days"},
		{"warm-up runs", func(c *Config) { c.Warmup = min(1e13, math.MaxInt) }, "Warmup", "2 days"},
		{"reps, no minimum", func(c *Config) { c.Reps, c.MinRepTime = min(1e13, math.MaxInt), 0 }, "Reps", "2 days"},
	} {
		cfg := DefaultConfig()
		c.set(&cfg)
		err := cfg.Check()
		var long *TooLongError
		if !errors.As(err, &long) || !errors.Is(err, compute.ErrUsage) || long.Field != c.field || !strings.Contains(err.Error(), c.est) {
			t.Errorf("%s: Check() = %v; want a TooLongError naming %s, at least %s", c.name, err, c.field, c.est)
		}
		cfg.Long = true
		if err := cfg.Check(); err != nil {
			t.Errorf("%s with Long: %v", c.name, err)
		}
	}
	for _, cfg := range []Config{DefaultConfig(), {Reps: 1000, Warmup: 100, MinRepTime: time.Second, MinWarmupTime: time.Minute}} {
		if err := cfg.Check(); err != nil {
			t.Errorf("%+v: %v", cfg, err)
		}
	}
}

// TestRunRefusesPastADay: Run estimates its cases before the first: a
// warm-up of 10⁹ runs of gemm 4096 (at least 15 days on any device) is
// refused with no case run, and the same warm-up of a tiny case is not.
func TestRunRefusesPastADay(t *testing.T) {
	var f *fake
	cfg := DefaultConfig()
	cfg.Env, cfg.Backends, cfg.Warmup = testEnv(&f), []string{"fake"}, 1e9
	gemm := compute.Problem{Kernel: compute.Gemm, Shape: compute.MNK(4096, 4096, 4096), DType: compute.Float32, Alpha: 1}
	rep, err := Run(context.Background(), cfg, []compute.Problem{gemm})
	var long *TooLongError
	if !errors.As(err, &long) || rep != nil || long.Field != "Warmup" || long.Estimate < 15*24*time.Hour {
		t.Fatalf("Run = %v, %v; want a TooLongError of Warmup, at least 15 days, and no report", rep, err)
	}
	dot := compute.Problem{Kernel: compute.Dot, Shape: compute.Vec(16), DType: compute.Float32}
	if d, _ := minDuration(cfg, []compute.Problem{dot}, nil); d > MaxDuration {
		t.Errorf("10⁹ warm-up runs of dot 16: at least %v, want under a day", d)
	}
}

// TestDeviceSpeed: on a CPU, or llvmpipe on it, runs are bounded by the
// CPU's peak and by what its cores can move per cycle, so that a
// warm-up of 10⁹ runs of a 64 Mi copy (days on any CPU) is refused;
// a hardware GPU keeps the bounds of the fastest device.
func TestDeviceSpeed(t *testing.T) {
	probe := &hwinfo.Info{Peak: hwinfo.Peak{Cores: 2, ClockGHz: 4, GFLOPS32: 256, GFLOPS64: 128}}
	cpu := deviceSpeed(compute.Device{}, probe)
	llvmpipe := deviceSpeed(compute.Device{GPU: &compute.GPU{}, Software: true}, probe)
	gpu := deviceSpeed(compute.Device{GPU: &compute.GPU{}}, probe)
	copy64Mi := compute.Problem{Kernel: compute.Copy, Shape: compute.Vec(64 << 20), DType: compute.Float32}
	cfg := Config{Warmup: 1e9, Reps: 1, Backends: []string{"b"}}
	for _, c := range []struct {
		name string
		s    speed
		over bool
	}{{"cpu", cpu, true}, {"llvmpipe", llvmpipe, true}, {"gpu", gpu, false}} {
		d, _ := minDuration(cfg, []compute.Problem{copy64Mi}, []speed{c.s})
		if (d > MaxDuration) != c.over {
			t.Errorf("%s: 10⁹ runs of a 64 Mi copy at least %v; past a day: %v, want %v", c.name, d, d > MaxDuration, c.over)
		}
	}
	if gpu.floor != gpuMinRunTime || cpu.floor != minRunTime {
		t.Errorf("floors: gpu %v, cpu %v", gpu.floor, cpu.floor)
	}
	if unknown := deviceSpeed(compute.Device{}, &hwinfo.Info{}); unknown != anyDevice {
		t.Errorf("a CPU of unknown peak: %+v, want anyDevice's bounds", unknown)
	}
}
