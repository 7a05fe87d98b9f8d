//go:build cgo

package gl

import (
	"errors"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode"
	"unsafe"
)

// TestEntryPointsListed: every go-gl function the backend's source calls
// or takes as a value is in entryPoints (or is the optional reset
// status), and every name listed is used, so that loadGL checks exactly
// what the backend will call.
func TestEntryPointsListed(t *testing.T) {
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	used := map[string]bool{}
	fset := token.NewFileSet()
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			t.Fatal(err)
		}
		ast.Inspect(f, func(n ast.Node) bool {
			sel, ok := n.(*ast.SelectorExpr)
			if !ok {
				return true
			}
			if id, ok := sel.X.(*ast.Ident); ok && id.Name == "gl" {
				fn := sel.Sel.Name
				// Constants are all capitals; the helpers are Go's own.
				isConst := !strings.ContainsFunc(fn, unicode.IsLower)
				switch {
				case isConst, fn == "GoStr", fn == "Str", fn == "Strs", fn == "InitWithProcAddrFunc":
				default:
					used["gl"+fn] = true
				}
			}
			return true
		})
	}
	optional := []string{"glGetGraphicsResetStatus", "glGetGraphicsResetStatusKHR", "glGetGraphicsResetStatusARB"}
	for fn := range used {
		if !slices.Contains(entryPoints[:], fn) && !slices.Contains(optional, fn) {
			t.Errorf("the backend calls %s, which entryPoints does not list", fn)
		}
	}
	for _, fn := range entryPoints {
		if !used[fn] {
			t.Errorf("entryPoints lists %s, which the backend does not call", fn)
		}
	}
}

// nullContext is a real context whose procAddr hands out no pointer for
// the names in null, as a broken driver's does.
type nullContext struct {
	glContext
	null []string
}

func (c nullContext) procAddr(name string) unsafe.Pointer {
	if slices.Contains(c.null, name) {
		return nil
	}
	return c.glContext.procAddr(name)
}

// TestNullEntryPoint: a context that hands out a null pointer for a
// function the backend calls is refused with that function's name, and
// one without glGetString (the crash a half-installed Mesa gave) as
// well, before anything calls through them.
func TestNullEntryPoint(t *testing.T) {
	o := envOptions(t)
	openOrSkip(t) // skips or fails where no context can be made at all
	th := startThread()
	defer th.stop()
	err := th.do(func() error {
		c, err := makeContext(o)
		if err != nil {
			return err
		}
		defer c.release()
		for _, null := range [][]string{{"glDispatchCompute"}, {"glGetString"}, {"glMemoryBarrier", "glFinish"}} {
			err := loadGL(nullContext{c, null})
			if err == nil {
				t.Errorf("loadGL with no %v succeeded", null)
				continue
			}
			for _, fn := range null {
				if !strings.Contains(err.Error(), fn) && !strings.Contains(err.Error(), "no glGetIntegerv or glGetString") {
					t.Errorf("loadGL with no %v: %v; want it named", null, err)
				}
			}
		}
		// The context itself still loads: the checks above changed nothing.
		return loadGL(c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTryContextTypedNil: a maker that fails with a nil *eglContext (as
// newEGLSurfacelessContext does where eglInitialize fails, as with
// GALLIUM_DRIVER=bogus) gives a nil interface, not one holding a nil
// pointer that makeContext would take for a context.
func TestTryContextTypedNil(t *testing.T) {
	want := errors.New("eglInitialize failed: EGL_NOT_INITIALIZED")
	c, err := tryContext(func() (glContext, error) {
		var none *eglContext
		return none, want
	})
	if c != nil || err != want {
		t.Errorf("tryContext of a failing maker = (%v, %v); want (nil, %v)", c, err, want)
	}
}

// TestBogusDriver: with GALLIUM_DRIVER naming no driver, Mesa fails to
// make a screen, and opening gl gives compute.ErrUnavailable that says
// what was tried; it used to take the process down with a jump to
// address 0 inside glGetString. The driver variables are read when EGL
// starts, so the opening happens in a child process.
func TestBogusDriver(t *testing.T) {
	if os.Getenv(envChild) == "bogus" {
		b, err := open(envOptions(t))
		if err == nil {
			b.Close()
			t.Skipf("the driver ignores GALLIUM_DRIVER=bogus (not Mesa): %s", b.dev.Name)
		}
		t.Logf("open with GALLIUM_DRIVER=bogus: %v", err)
		if !strings.Contains(err.Error(), "tried") {
			t.Fatalf("open with GALLIUM_DRIVER=bogus: %v; want the attempts named", err)
		}
		return
	}
	openOrSkip(t)
	out := runChild(t, "^TestBogusDriver$", envChild+"=bogus", "GALLIUM_DRIVER=bogus", EnvContext+"=egl-surfaceless")
	t.Logf("child:\n%s", out)
}
