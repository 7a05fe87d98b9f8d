package gl

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestChildFailure: a child that ended without an answer is named by the
// signal of the Go runtime's crash report, whether the fault was in C (a
// driver's) or under a Go panic; otherwise by its exit status and the
// line that says why. Each wraps compute.ErrUnavailable.
func TestChildFailure(t *testing.T) {
	exit2 := errors.New("exit status 2")
	for _, c := range []struct {
		stderr, want string
	}{
		{"libEGL warning: egl: failed to create dri2 screen\nSIGSEGV: segmentation violation\nPC=0x0 m=3 sigcode=1 addr=0x0\nsignal arrived during cgo execution\n\ngoroutine 22 [syscall]:\n",
			"the driver crashed while opening (SIGSEGV)"},
		{"panic: runtime error: invalid memory address or nil pointer dereference\n[signal SIGSEGV: segmentation violation code=0x1 addr=0x0 pc=0x4a2b1c]\n\ngoroutine 1 [running]:\n",
			"the driver crashed while opening (SIGSEGV)"},
		{"SIGABRT: abort\nPC=0x7f0 m=0 sigcode=18446744073709551610\n", "the driver crashed while opening (SIGABRT)"},
		{"fatal error: runtime: out of memory\n\ngoroutine 1 [running]:\nmain.main()\n", "the gl probe failed (exit status 2): fatal error: runtime: out of memory"},
		{"some words\nthe last line\n\n", "the gl probe failed (exit status 2): the last line"},
	} {
		err := childFailure(nil, exit2, c.stderr)
		if !errors.Is(err, compute.ErrUnavailable) || !strings.HasSuffix(err.Error(), c.want) {
			t.Errorf("child's stderr %q: %v; want compute.ErrUnavailable ending %q", c.stderr, err, c.want)
		}
	}
}

// TestEnds: the child's standard error keeps its first and last bytes,
// where a crash report and a driver's last word are, within its bound.
func TestEnds(t *testing.T) {
	e := &ends{max: 8}
	for _, s := range []string{"SIGSEGV: ", strings.Repeat("x", 100), "last"} {
		e.Write([]byte(s))
	}
	if got := e.String(); got != "SIGSEGV:\n"+strings.Repeat("x", 4)+"last" {
		t.Errorf("ends = %q", got)
	}
}

// TestProbeReply: a child's error comes back of the kind it had there,
// so that the exit code and the message are the same as in one process.
func TestProbeReply(t *testing.T) {
	if err := (probeReply{}).err(); err != nil {
		t.Errorf("no error: %v", err)
	}
	err := probeReply{Error: "backend unavailable: no OpenGL 4.3 context: tried egl-surfaceless: …"}.err()
	if !errors.Is(err, compute.ErrUnavailable) || errors.Is(err, compute.ErrUsage) || !strings.HasPrefix(err.Error(), "backend unavailable: no OpenGL") {
		t.Errorf("an unavailable gl: %v", err)
	}
	if err := (probeReply{Error: "bad usage: GPUBENCH_GL=\"x\"", Usage: true}).err(); !errors.Is(err, compute.ErrUsage) {
		t.Errorf("a usage error: %v", err)
	}
}

// TestProbeTimeout: EnvProbeTimeout sets the child's limit; a value that
// is not a positive duration is a usage error naming the variable.
func TestProbeTimeout(t *testing.T) {
	t.Setenv(EnvProbeTimeout, "")
	if d, err := probeTimeout(); d != defaultProbeTimeout || err != nil {
		t.Errorf("unset: %v, %v", d, err)
	}
	t.Setenv(EnvProbeTimeout, "30s")
	if d, err := probeTimeout(); d.Seconds() != 30 || err != nil {
		t.Errorf("30s: %v, %v", d, err)
	}
	for _, bad := range []string{"10", "-1s", "0s", "soon"} {
		t.Setenv(EnvProbeTimeout, bad)
		if _, err := probeTimeout(); !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), EnvProbeTimeout) {
			t.Errorf("%s=%q: %v; want a usage error naming it", EnvProbeTimeout, bad, err)
		}
	}
}
