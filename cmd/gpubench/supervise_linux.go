//go:build linux

package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"strconv"
	"syscall"
	"time"

	"golang.org/x/sys/unix"

	"github.com/gpubench/gpubench/compute"
)

// openJournal is the journal on file descriptor fd, which the supervisor
// passed (exec.Cmd.ExtraFiles); it is closed on exec, so that no process
// this one starts (the gl probe) holds the pipe open. Each gl case may
// run for limit(case) before the child exits with exitWatchdog.
func openJournal(fd int, limit func(compute.Problem) time.Duration) (*journal, error) {
	var st syscall.Stat_t
	if err := syscall.Fstat(fd, &st); err != nil || st.Mode&syscall.S_IFMT != syscall.S_IFIFO {
		return nil, fmt.Errorf("%w: --journal-fd %d is not a pipe: it is for gpubench's own supervisor", compute.ErrUsage, fd)
	}
	syscall.CloseOnExec(fd)
	return &journal{w: os.NewFile(uintptr(fd), "journal"), limit: limit, exit: os.Exit}, nil
}

// supervise runs the run in a child, and again, without the backend
// that was lost, while a child dies during a case (crashed, or ended by
// its watchdog), until one returns. Each child starts where the last
// left off (resumeState): the cases that finished are kept, not run
// again. A SIGINT or SIGTERM goes to the child (forwardSignals) and the
// run then ends as the child ends, never resumed. redrawn says whether
// the child redraws a progress line in place on stderr, which a line of
// the supervisor's then clears first.
func (s *supervision) supervise(stdout, stderr io.Writer, redrawn bool) error {
	exe, err := os.Executable()
	if err != nil {
		return fmt.Errorf("cannot start the supervised run: %w", err)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	var state resumeState
	for {
		ch, err := s.startChild(exe, &state, stdout, stderr)
		if err != nil {
			return err
		}
		signalled := forwardSignals(ch, sigs)
		lost := ch.lost()
		if signalled || lost == nil || state.lost(lost.Backend) {
			if ws, ok := ch.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && !signalled && ws.Signal() != syscall.SIGPIPE {
				// A child that dies by a fault says nothing itself
				// (quietCrashes). SIGPIPE is a reader of standard
				// output that stopped (| head -1): the files were
				// written before it was tried.
				fmt.Fprintf(stderr, "gpubench: the run ended by %s; the cases that finished are lost\n", signalName(ws.Signal()))
			}
			return childExit{ch.code()}
		}
		state.add(ch.events, *lost)
		say := "gpubench: " + lost.Reason + ": the run goes on without " + lost.Backend
		if redrawn {
			say = "\r\x1b[K" + say // over the child's progress line
		}
		fmt.Fprintln(stderr, say)
	}
}

// child is one supervised child: its process, and the journal it wrote.
type child struct {
	cmd    *exec.Cmd
	events []event
	read   chan struct{} // closed once the journal is read to its end
	waited chan error
}

// startChild starts a child with s's arguments and the hidden flags, its
// standard streams this process's, handing it state where it resumes.
func (s *supervision) startChild(exe string, state *resumeState, stdout, stderr io.Writer) (*child, error) {
	jr, jw, err := os.Pipe()
	if err != nil {
		return nil, fmt.Errorf("cannot start the supervised run: %w", err)
	}
	defer jw.Close()
	args := []string{"--" + flagJournalFD + "=3"}
	files := []*os.File{jw}
	var rr, rw *os.File
	if len(state.Lost) > 0 {
		if rr, rw, err = os.Pipe(); err != nil {
			jr.Close()
			return nil, fmt.Errorf("cannot start the supervised run: %w", err)
		}
		defer rr.Close()
		args = append(args, "--"+flagResumeFD+"=4")
		files = append(files, rr)
	}
	cmd := exec.Command(exe, append(args, s.args...)...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, childStream(stdout), childStream(stderr)
	cmd.ExtraFiles = files
	if err := cmd.Start(); err != nil {
		jr.Close()
		if rw != nil {
			rw.Close()
		}
		return nil, fmt.Errorf("cannot start the supervised run: %w", err)
	}
	if rw != nil {
		// Encoded now: state changes once the child has ended, and a
		// child that never reads must not hold the writer.
		b, _ := json.Marshal(state)
		go func() {
			rw.Write(b)
			rw.Close()
		}()
	}
	c := &child{cmd: cmd, read: make(chan struct{}), waited: make(chan error, 1)}
	go c.readJournal(jr)
	go func() { c.waited <- cmd.Wait() }()
	return c, nil
}

// childStream is what a child is given for w, one of this process's
// standard streams: the file below the writer that checks its writes
// (errWriter), so that the child writes to it itself, checks its own
// writes and sees a terminal as one. Anything else would be copied
// through a pipe, which this process stops reading at its first failed
// write, and the child would die by SIGPIPE at its next one.
func childStream(w io.Writer) io.Writer {
	if e, ok := w.(*errWriter); ok {
		if f, ok := e.w.(*os.File); ok {
			return f
		}
	}
	return w
}

// readJournal reads the child's events until the pipe closes, which it
// does as the child exits (no process of its own holds it: openJournal).
// A line cut short by a crash is no event.
func (c *child) readJournal(r io.ReadCloser) {
	defer close(c.read)
	defer r.Close()
	br := bufio.NewReader(r)
	for {
		line, err := br.ReadBytes('\n')
		var e event
		if bytes.HasSuffix(line, []byte("\n")) && json.Unmarshal(line, &e) == nil {
			c.events = append(c.events, e)
		}
		if err != nil {
			return
		}
	}
}

// forwardSignals waits for the child to exit and its journal to be
// read, passing it every SIGINT and SIGTERM that reaches this process,
// and reports whether one did. A SIGINT from the terminal reaches the
// child too, as it is in the same process group: that one is not passed
// again (sentByTerminal), or the child would count two.
func forwardSignals(c *child, sigs <-chan os.Signal) bool {
	signalled := false
	for {
		select {
		case s := <-sigs:
			signalled = true
			if !(s == os.Interrupt && sentByTerminal()) {
				c.cmd.Process.Signal(s)
			}
		case <-c.waited:
			<-c.read
			return signalled
		}
	}
}

// sentByTerminal reports whether a SIGINT is most likely the terminal's
// (Ctrl-C), which goes to its whole foreground process group: this
// process's group is the foreground one of a terminal on one of its
// standard streams.
func sentByTerminal() bool {
	for _, fd := range []int{0, 1, 2} {
		if pg, err := unix.IoctlGetInt(fd, unix.TIOCGPGRP); err == nil {
			return pg == unix.Getpgrp()
		}
	}
	return false
}

// code is the child's exit code, 128+N where signal N ended it.
func (c *child) code() int {
	ws, ok := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ok && ws.Signaled() {
		return 128 + int(ws.Signal())
	}
	return c.cmd.ProcessState.ExitCode()
}

// isCrashSignal reports whether s is the signal of a fault: a driver's
// bug in C code (SIGSEGV, SIGBUS, SIGFPE, SIGILL), its abort() or a
// failed assertion (SIGABRT), a trap (SIGTRAP, SIGSYS).
func isCrashSignal(s syscall.Signal) bool {
	switch s {
	case syscall.SIGSEGV, syscall.SIGBUS, syscall.SIGFPE, syscall.SIGILL,
		syscall.SIGABRT, syscall.SIGTRAP, syscall.SIGSYS:
		return true
	}
	return false
}

// lost says which backend the child lost and how, where it died during
// the run: a crash signal, SIGKILL during a gl case, its watchdog
// (exitWatchdog), or any exit
// before the run returned (a Go runtime's fatal error, a driver that
// calls exit() itself, as Xlib does on a lost display). A crash
// with no case in flight (while a backend opened or closed) is laid to
// gl, the backend supervision is for. nil where the child returned from
// the run (its journal's last event is "done"), or ended otherwise.
func (c *child) lost() *lostBackend {
	if n := len(c.events); n > 0 && c.events[n-1].Kind == eventDone {
		return nil
	}
	inFlight := c.inFlight()
	ws, _ := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	var how string
	switch {
	case ws.Signaled() && isCrashSignal(ws.Signal()):
		how = "crashed (" + signalName(ws.Signal()) + ")"
	case ws.Signaled() && ws.Signal() == syscall.SIGKILL && inFlight != nil && inFlight.Device != nil && inFlight.Device.Backend == "gl":
		// Most likely the kernel's OOM killer, as the driver allocated.
		return c.lostAs(inFlight.Backend, inFlight.Case, "the gl driver's process was killed (SIGKILL: out of memory, or kill -9) during "+inFlight.Case)
	case ws.Exited() && ws.ExitStatus() == exitWatchdog && len(c.events) > 0 && c.events[len(c.events)-1].Kind == eventHang:
		h := c.events[len(c.events)-1]
		return c.lostAs(h.Backend, h.Case, fmt.Sprintf("the %s did not return: %s ran past the watchdog's limit of %v", driverOf(h.Backend), h.Case, h.Limit))
	case ws.Exited() && c.planned():
		// The run never returned (no "done"): a Go fatal error, or a
		// driver that called exit() itself, whatever the status.
		how = fmt.Sprintf("ended the process (exit status %d)", ws.ExitStatus())
	default:
		return nil
	}
	if inFlight == nil {
		return c.lostAs("gl", "", fmt.Sprintf("the %s %s%s", driverOf("gl"), how, outsideAnyCase))
	}
	return c.lostAs(inFlight.Backend, inFlight.Case, fmt.Sprintf("the %s %s during %s", driverOf(inFlight.Backend), how, inFlight.Case))
}

// planned reports whether the child began the run: it journalled its
// plan, so that it journals "done" as the run returns.
func (c *child) planned() bool {
	for _, e := range c.events {
		if e.Kind == eventPlan {
			return true
		}
	}
	return false
}

// inFlight is the start of the case that had not ended when the child
// did; nil where none.
func (c *child) inFlight() *event {
	for i := len(c.events) - 1; i >= 0; i-- {
		switch c.events[i].Kind {
		case eventStart:
			return &c.events[i]
		case eventEnd:
			return nil
		}
	}
	return nil
}

// lostAs is the backend called name lost during the case named cs, with
// the device it had opened (from the journal).
func (c *child) lostAs(name, cs, reason string) *lostBackend {
	l := &lostBackend{Backend: name, Case: cs, Reason: reason}
	for _, e := range c.events {
		if e.Kind == eventStart && e.Backend == name && e.Device != nil {
			l.Device = *e.Device
		}
	}
	return l
}

// driverOf names what of a backend fails: gl's driver, another backend
// itself.
func driverOf(backend string) string {
	if backend == "gl" {
		return "gl driver"
	}
	return backend + " backend"
}

// signalName is "SIGSEGV" for syscall.SIGSEGV.
func signalName(s syscall.Signal) string {
	if n := unix.SignalName(s); n != "" {
		return n
	}
	return "signal " + strconv.Itoa(int(s))
}

// add keeps the cases a child finished, the devices it opened, and the
// backend it lost.
func (s *resumeState) add(events []event, l lostBackend) {
	for _, e := range events {
		switch {
		case e.Kind == eventPlan && s.Backends == nil:
			s.Backends = e.Backends
		case e.Kind == eventEnd && e.Result != nil:
			s.Finished = append(s.Finished, e)
		case e.Kind == eventStart && e.Device != nil && !hasDeviceOf(s.Devices, e.Device.Backend):
			s.Devices = append(s.Devices, *e.Device)
		}
	}
	s.Lost = append(s.Lost, l)
}

// superviseCommand runs a measuring command other than run (roofline,
// transfer, crossover) in a child, once, as supervise runs a run: a
// SIGINT or SIGTERM goes to the child, and the command then ends as the
// child ends. Where a fault ended the child before its command returned
// (commandFault), lost says how, naming command, and err is nil: the
// caller measures again without gl, or ends. Otherwise err is the
// child's exit (childExit), its messages its own.
func (s *supervision) superviseCommand(command string, stdout, stderr io.Writer) (lost string, err error) {
	exe, err := os.Executable()
	if err != nil {
		return "", fmt.Errorf("cannot start the supervised %s: %w", command, err)
	}
	sigs := make(chan os.Signal, 4)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ch, err := s.startChild(exe, &resumeState{}, stdout, stderr)
	if err != nil {
		return "", err
	}
	if signalled := forwardSignals(ch, sigs); !signalled {
		if lost := ch.commandFault(command); lost != "" {
			return lost, nil
		}
	}
	if ws, ok := ch.cmd.ProcessState.Sys().(syscall.WaitStatus); ok && ws.Signaled() && isCrashSignal(ws.Signal()) {
		fmt.Fprintf(stderr, "gpubench: the %s ended by %s\n", command, signalName(ws.Signal()))
	}
	return "", childExit{ch.code()}
}

// commandFault says how the gl driver ended the child of a command
// before the command returned (its journal's last event is not "done"):
// a crash signal, SIGKILL (the kernel's OOM killer, most likely, as the
// driver allocated), its watchdog (a gl case of roofline or crossover
// that did not return), or an exit of the driver's own (after the child
// journalled its start). "" where the child returned, or ended
// otherwise.
func (c *child) commandFault(command string) string {
	if n := len(c.events); n > 0 && c.events[n-1].Kind == eventDone {
		return ""
	}
	ws, _ := c.cmd.ProcessState.Sys().(syscall.WaitStatus)
	switch {
	case ws.Signaled() && isCrashSignal(ws.Signal()):
		return "the gl driver crashed (" + signalName(ws.Signal()) + ") during " + command
	case ws.Signaled() && ws.Signal() == syscall.SIGKILL:
		return "the gl driver's process was killed (SIGKILL: out of memory, or kill -9) during " + command
	case ws.Exited() && ws.ExitStatus() == exitWatchdog && len(c.events) > 0 && c.events[len(c.events)-1].Kind == eventHang:
		h := c.events[len(c.events)-1]
		return fmt.Sprintf("the gl driver did not return during %s: %s ran past the watchdog's limit of %v", command, h.Case, h.Limit)
	case ws.Exited() && c.planned():
		return fmt.Sprintf("the gl driver ended the process (exit status %d) during %s", ws.ExitStatus(), command)
	}
	return ""
}
