package gl

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"regexp"
	"runtime"
	"strings"
	"time"

	"github.com/gpubench/gpubench/compute"
)

// Environment variables the backend reads.
const (
	// EnvContext forces one way of making the context: egl (device, then
	// surfaceless), egl-device, egl-surfaceless, glfw, or none.
	EnvContext = "GPUBENCH_GL"
	// EnvDebug set to 1 asks for a debug context whose messages go to
	// standard error (and passes on those of a probe's child).
	EnvDebug = "GPUBENCH_GL_DEBUG"
	// EnvProbeTimeout is how long the child may take to open GL (a Go
	// duration, "10s" unless set): a driver that hangs while opening
	// costs the gl backend only, after this long.
	EnvProbeTimeout = "GPUBENCH_GL_PROBE_TIMEOUT"
	// envInChild marks the child, which never starts one of its own.
	envInChild = "GPUBENCH_GL_PROBE_CHILD"
)

// defaultProbeTimeout bounds the child's probe: well past what opening
// a GPU's driver takes at worst.
// Measurements: docs/methodology.md#why-these-constants.
const defaultProbeTimeout = 10 * time.Second

// Isolation says where the gl backend opens GL to probe it and to list
// its devices (the registry's Factory.Probe and Factory.Devices). With
// Args set, it does so in a child process, the running executable
// started with Args, which must call ServeProbe and nothing else: a
// driver that crashes or hangs while opening then costs the gl backend
// alone. It is unavailable, and says why, while the process and its other
// backends go on. A command whose own binary takes Args passes them from
// main; the zero Isolation, as the package's tests use, opens GL in this
// process. In the child, Args are ignored, so that a probe never starts
// another.
type Isolation struct {
	Args []string
}

// probeReply is what the child writes on its standard output: the probe's
// error (empty where GL opened), of which kind, or the device list.
type probeReply struct {
	Error   string                `json:"error,omitempty"`
	Usage   bool                  `json:"usage,omitempty"`
	Devices []compute.DeviceEntry `json:"devices,omitempty"`
}

// ServeProbe is the child's side of Isolation: it opens GL in this
// process as the registry's probe would (or, with devices set, lists the
// devices) and writes the outcome to w as JSON. It returns an error only
// where w cannot be written: a GL that does not open is an answer.
func ServeProbe(w io.Writer, devices bool) error {
	var r probeReply
	var err error
	if devices {
		r.Devices, err = serveDevices()
	} else {
		err = serveProbe()
	}
	if err != nil {
		r.Error, r.Usage = err.Error(), errors.Is(err, compute.ErrUsage)
	}
	return json.NewEncoder(w).Encode(r)
}

// remoteError is an error the child reported: its text, and the kind it
// had there.
type remoteError struct {
	msg  string
	kind error
}

func (e *remoteError) Error() string { return e.msg }
func (e *remoteError) Unwrap() error { return e.kind }

// err is the reply's error as one of this process, nil where there was
// none.
func (r probeReply) err() error {
	switch {
	case r.Error == "":
		return nil
	case r.Usage:
		return &remoteError{r.Error, compute.ErrUsage}
	}
	return &remoteError{r.Error, compute.ErrUnavailable}
}

// askChild runs the probe (or, with devices set, the device list) in a
// child process started with args (Isolation's) and returns its reply; an
// error where the child crashed, hung past the timeout or answered
// nothing, naming which, and wrapping compute.ErrUnavailable.
func askChild(args []string, devices bool) (probeReply, error) {
	var r probeReply
	timeout, err := probeTimeout()
	if err != nil {
		return r, err
	}
	exe, err := os.Executable()
	if err != nil {
		return r, fmt.Errorf("%w: cannot start the gl probe: %v", compute.ErrUnavailable, err)
	}
	if devices {
		args = append(args[:len(args):len(args)], "devices")
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, exe, args...)
	cmd.Env = append(os.Environ(), envInChild+"=1")
	cmd.SysProcAttr = childAttr()
	// A driver's child that keeps the pipes open must not hold the
	// parent past the kill.
	cmd.WaitDelay = time.Second
	var stdout bytes.Buffer
	stderr := &ends{max: 4 << 10}
	cmd.Stdout = &stdout
	cmd.Stderr = stderr
	if os.Getenv(EnvDebug) == "1" {
		cmd.Stderr = io.MultiWriter(os.Stderr, stderr)
	}
	// On Linux the child's Pdeathsig (childAttr) fires when the thread
	// that started it ends, not the process: the thread is held for the
	// child's life, so that the Go scheduler cannot end it early.
	runtime.LockOSThread()
	runErr := cmd.Run()
	runtime.UnlockOSThread()
	if ctx.Err() == context.DeadlineExceeded {
		return r, fmt.Errorf("%w: the driver did not answer in %v (%s sets the limit)", compute.ErrUnavailable, timeout, EnvProbeTimeout)
	}
	if runErr != nil {
		return r, childFailure(cmd.ProcessState, runErr, stderr.String())
	}
	if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
		return r, fmt.Errorf("%w: the gl probe gave no answer (%v): %s", compute.ErrUnavailable, err, headline(stderr.String()))
	}
	return r, nil
}

// probeTimeout is EnvProbeTimeout's duration, or the default.
func probeTimeout() (time.Duration, error) {
	v := strings.TrimSpace(os.Getenv(EnvProbeTimeout))
	if v == "" {
		return defaultProbeTimeout, nil
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		return 0, fmt.Errorf("%w: %s=%q: give a positive duration such as 30s", compute.ErrUsage, EnvProbeTimeout, v)
	}
	return d, nil
}

// crashSignal finds the signal of a Go runtime's crash report: the
// "SIGSEGV: segmentation violation" that heads a fault in C code, or the
// "[signal SIGSEGV: …]" under a Go panic.
var crashSignal = regexp.MustCompile(`(?m)^(SIG[A-Z0-9]+): |\[signal (SIG[A-Z0-9]+)`)

// childFailure says why the child ended without an answer: the signal
// it crashed on (from the Go runtime's report, or its exit status), or
// its exit status and the last line it wrote.
func childFailure(ps *os.ProcessState, runErr error, stderr string) error {
	sig := ""
	if m := crashSignal.FindStringSubmatch(stderr); m != nil {
		sig = m[1] + m[2]
	} else if ps != nil {
		sig = signalName(ps)
	}
	if sig != "" {
		return fmt.Errorf("%w: the driver crashed while opening (%s)", compute.ErrUnavailable, sig)
	}
	return fmt.Errorf("%w: the gl probe failed (%v): %s", compute.ErrUnavailable, runErr, headline(stderr))
}

// goFatal finds the line that heads a Go runtime's report of a panic or
// a fatal error.
var goFatal = regexp.MustCompile(`(?m)^(panic|fatal error): .*$`)

// headline is the line of a child's standard error that says why it
// ended: a Go panic's or fatal error's, else the last.
func headline(stderr string) string {
	if m := goFatal.FindString(stderr); m != "" {
		return m
	}
	return lastLine(stderr)
}

// lastLine is the last line of s that is not blank.
func lastLine(s string) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.TrimSpace(lines[len(lines)-1])
}

// ends keeps the first and the last max bytes written to it: a Go
// runtime's crash report heads its stack dump, and a driver's last word
// ends it.
type ends struct {
	max        int
	head, tail []byte
}

func (e *ends) Write(p []byte) (int, error) {
	n := len(p)
	if room := e.max - len(e.head); room > 0 {
		k := min(room, len(p))
		e.head = append(e.head, p[:k]...)
		p = p[k:]
	}
	e.tail = append(e.tail, p...)
	if over := len(e.tail) - e.max; over > 0 {
		e.tail = e.tail[over:]
	}
	return n, nil
}

func (e *ends) String() string { return string(e.head) + "\n" + string(e.tail) }
