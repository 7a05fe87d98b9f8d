package compute

import (
	"errors"
	"testing"
)

// FuzzParseShape: the --size parser never panics, refuses with one of the
// catalogue's errors, gives only dimensions in [1, MaxDim], and what it
// reads for a kernel reads back the same from Format.
func FuzzParseShape(f *testing.F) {
	for _, s := range []string{"1", "1000", "4Mi", "512x512", "3x4x5", "1kx2Kx3Gi", " 7 ", "0", "-3", "+3",
		"12ab", "x", "3x", "xx3", "1x2x3x4", "9223372036854775807", "1099511627777", "1Gix1Gi", "", "1X2", "Ki"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		dims, err := ParseShape(s)
		if err != nil {
			if !errors.Is(err, ErrUsage) && !errors.Is(err, ErrTooLarge) {
				t.Fatalf("ParseShape(%q): %v is neither ErrUsage nor ErrTooLarge", s, err)
			}
		}
		for _, d := range dims {
			if d < 1 || int64(d) > MaxDim {
				t.Fatalf("ParseShape(%q) = %v: dimension out of [1, MaxDim]", s, dims)
			}
		}
		for _, k := range Kernels() {
			sh, err := k.ParseShape(s)
			if err != nil {
				if !errors.Is(err, ErrUsage) && !errors.Is(err, ErrTooLarge) && !errors.Is(err, ErrShape) {
					t.Fatalf("%s.ParseShape(%q): %v is not a catalogue error", k, s, err)
				}
				continue
			}
			if err := k.Validate(sh); err != nil {
				t.Fatalf("%s.ParseShape(%q) = %+v, which Validate refuses: %v", k, s, sh, err)
			}
			str := sh.Format(k)
			back, err := k.ParseShape(str)
			if err != nil || back != sh {
				t.Fatalf("%s: %q → %+v → %q → %+v, %v", k, s, sh, str, back, err)
			}
		}
	})
}
