//go:build cgo

package gl

import (
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/compute/computetest"
)

// mesaLogLine finds the line number in a Mesa compile log ("0:17(20):
// error: ..."); other drivers write theirs differently.
var mesaLogLine = regexp.MustCompile(`\b0:(\d+)\(\d+\)`)

// TestCompileError injects a compile error and a link error through
// sourceHook: each comes back from Run as a *CompileError that names the
// shader, carries the driver's log and the line-numbered source, leaves
// no GL object behind, and is not cached: the backend works afterwards.
func TestCompileError(t *testing.T) {
	b := openOrSkip(t)
	const bad = "no_such_variable_42"
	cases := []struct {
		kernel compute.Kernel
		stage  string
		edit   func(src string) string
		marker string // a text on the line the driver should blame
	}{
		{compute.Copy, "compile", func(src string) string {
			return strings.Replace(src, "o[i] = x[i];", "o[i] = x[i] + "+bad+";", 1)
		}, bad},
		// A prototype without a body compiles and fails to link.
		{compute.Scale, "link", func(src string) string {
			src = strings.Replace(src, "void main() {", "void no_such_function_42();\nvoid main() {", 1)
			return strings.Replace(src, "if (i < n) {", "no_such_function_42();\n\tif (i < n) {", 1)
		}, "no_such_function_42"},
	}
	for _, c := range cases {
		t.Run(c.stage, func(t *testing.T) {
			shader := c.kernel.String()
			p := problem(c.kernel, compute.Vec(1000), compute.Float32)
			before := b.liveObjects()
			b.sourceHook = func(name, src string) string {
				if name != shader {
					return src
				}
				out := c.edit(src)
				if out == src {
					t.Fatalf("the test's edit no longer applies to %s.comp", name)
				}
				return out
			}
			err := computetest.Check(b, p, 1)
			b.sourceHook = nil
			var ce *CompileError
			if !errors.As(err, &ce) {
				t.Fatalf("Run with a broken %s.comp returned %v, want a *CompileError", shader, err)
			}
			if ce.Shader != shader || ce.Stage != c.stage {
				t.Errorf("CompileError for %s at %s, want %s at %s", ce.Shader, ce.Stage, shader, c.stage)
			}
			log := strings.TrimSpace(ce.Log)
			t.Logf("driver log: %s", log)
			if log == "" || strings.Contains(log, "gave no log") {
				t.Errorf("no driver log in the error: %q", ce.Log)
			}
			msg := err.Error()
			if !strings.Contains(msg, shader) || !strings.Contains(msg, log) || !strings.Contains(msg, ce.Defines) {
				t.Errorf("the message lacks the shader's name, its defines or the driver's log:\n%s", msg)
			}
			// The source appears numbered as the driver counts lines: the
			// defines inserted after #version are lines of their own.
			lines := strings.Split(ce.Source, "\n")
			blamed := 0
			for i, l := range lines {
				if strings.Contains(l, c.marker) {
					blamed = i + 1
					if want := fmt.Sprintf("%4d  %s\n", i+1, l); !strings.Contains(msg, want) {
						t.Errorf("the message lacks the numbered line %q", want)
					}
				}
			}
			if blamed == 0 {
				t.Fatalf("the source in the error lacks the injected %q", c.marker)
			}
			if !strings.Contains(ce.Source, "#define WG ") {
				t.Errorf("the source in the error is not the specialised one:\n%s", ce.Source)
			}
			if m := mesaLogLine.FindStringSubmatch(log); m != nil && c.stage == "compile" {
				if n, _ := strconv.Atoi(m[1]); n != blamed {
					t.Errorf("the driver blames line %d, the numbered source has the error on line %d", n, blamed)
				}
			}
			if after := b.liveObjects(); after != before {
				t.Errorf("a failed %s left GL objects: %d before, %d after (%v)", c.stage, before, after, b.live)
			}
			if err := computetest.Check(b, p, 1); err != nil {
				t.Errorf("%s after the failed %s: %v", shader, c.stage, err)
			}
		})
	}
}
