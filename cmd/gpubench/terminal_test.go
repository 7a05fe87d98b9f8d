//go:build linux

package main

import (
	"fmt"
	"io"
	"os"
	"os/exec"
	"strings"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal (/dev/ptmx and its /dev/pts/N) with
// output processing off, so that what is written to the terminal side
// reads back from the master side byte for byte.
func openPTY(t *testing.T) (master, tty *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminals here: %v", err)
	}
	t.Cleanup(func() { m.Close() })
	fd := int(m.Fd())
	if err := unix.IoctlSetPointerInt(fd, unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(fd, unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	tio, err := unix.IoctlGetTermios(int(s.Fd()), unix.TCGETS)
	if err != nil {
		t.Fatal(err)
	}
	tio.Oflag &^= unix.OPOST
	if err := unix.IoctlSetTermios(int(s.Fd()), unix.TCSETS, tio); err != nil {
		t.Fatal(err)
	}
	return m, s
}

// TestTerminalDetected: a pseudo-terminal is a terminal; /dev/null and
// /dev/full, character devices that are not, get no progress line.
func TestTerminalDetected(t *testing.T) {
	t.Parallel()
	_, tty := openPTY(t)
	o := defaultRunOptions(&globals{})
	if !isTerminal(tty) || o.progress(tty) == nil {
		t.Error("a pseudo-terminal is not taken for a terminal")
	}
	for _, dev := range []string{os.DevNull, "/dev/full"} {
		f, err := os.OpenFile(dev, os.O_WRONLY, 0)
		if err != nil {
			t.Skipf("%s: %v", dev, err)
		}
		defer f.Close()
		if isTerminal(f) || o.progress(f) != nil {
			t.Errorf("%s is taken for a terminal", dev)
		}
	}
	for _, c := range []struct {
		term, noColor string
		plain         bool
	}{{"xterm-256color", "", false}, {"dumb", "", true}, {"", "", true}, {"xterm", "1", true}} {
		if got := plainTerminal(c.term, c.noColor); got != c.plain {
			t.Errorf("TERM=%q NO_COLOR=%q: plain %v, want %v", c.term, c.noColor, got, c.plain)
		}
	}
}

// progressOnTTY runs a run of two cases of at least 1.2 s each (a
// warm-up goes on until --min-warmup-time has passed; the progress line
// shows once the run has lasted a second, so the second case's shows as
// it starts) with stderr on a pseudo-terminal, and returns what the
// terminal received.
func progressOnTTY(t *testing.T, env ...string) string {
	t.Helper()
	master, tty := openPTY(t)
	cmd := exec.Command(binary, "run", "--backend", "cpu", "--kernel", "dot,sum", "--size", "1000", "--reps", "1", "--min-warmup-time", "1200ms")
	cmd.Env = append(os.Environ(), append([]string{"GPUBENCH_GL=none", "TERM=", "NO_COLOR="}, env...)...)
	cmd.Stderr = tty
	got := make(chan string)
	go func() {
		b, _ := io.ReadAll(master) // ends with EIO once no process holds the terminal
		got <- string(b)
	}()
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	tty.Close()
	if err := cmd.Wait(); err != nil {
		t.Fatalf("run %v: %v", env, err)
	}
	return <-got
}

// TestProgressControlCodes: on a terminal that takes them the progress
// line is redrawn in place with an escape sequence; with TERM=dumb, TERM
// unset or NO_COLOR it is plain text, one line per case, with no escape
// sequence and no carriage return.
func TestProgressControlCodes(t *testing.T) {
	t.Parallel()
	t.Run("xterm", func(t *testing.T) {
		t.Parallel()
		if out := progressOnTTY(t, "TERM=xterm-256color"); !strings.Contains(out, "\r\033[K[2/2] sum/1000/float32 on cpu") {
			t.Errorf("TERM=xterm-256color: no line redrawn in place: %q", out)
		}
	})
	for name, env := range map[string][]string{"dumb": {"TERM=dumb"}, "unset": {}, "NO_COLOR": {"TERM=xterm-256color", "NO_COLOR=1"}} {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			out := progressOnTTY(t, env...)
			if strings.ContainsAny(out, "\033\r") || strings.Count(out, "[2/2] sum/1000/float32 on cpu") != 1 || !strings.HasSuffix(out, "\n") {
				t.Errorf("%v: want plain lines with no control codes, the second case's once, got %q", env, out)
			}
		})
	}
}
