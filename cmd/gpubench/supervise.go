package main

import (
	"strconv"
	"strings"
	"time"

	"github.com/spf13/pflag"
)

// A run that may open gl runs in a child gpubench, under a supervisor:
// this process. A GPU driver's fault in C code (a SIGSEGV inside
// glDispatchCompute) or a dispatch that never returns cannot be
// recovered in the process it happens in; under a supervisor it costs
// the case in flight and the gl backend, and the child that goes on
// without gl writes every other case. See
// docs/architecture.md#a-driver-that-crashes-mid-run.

// supervision is how this process runs a run that may open gl.
type supervision struct {
	// args are the process's arguments, which a child is started with.
	args []string
	// watchdogFloor is the least time the watchdog gives a gl case
	// (defaultWatchdogFloor).
	watchdogFloor time.Duration
	// journalFD and resumeFD are the hidden flags a supervisor starts a
	// child with: the pipe the child journals to, and the one it reads
	// the state it resumes from; -1 where this process is not a child.
	journalFD, resumeFD int
}

// newSupervision is the supervision of a process started with args.
func newSupervision(args []string) *supervision {
	return &supervision{args: args, watchdogFloor: defaultWatchdogFloor, journalFD: -1, resumeFD: -1}
}

// Hidden flags of a supervised child.
const (
	flagJournalFD = "journal-fd"
	flagResumeFD  = "resume-fd"
)

// bind adds the child's hidden flags to f (the root's persistent flags).
func (s *supervision) bind(f *pflag.FlagSet) {
	f.IntVar(&s.journalFD, flagJournalFD, -1, "file descriptor of the pipe a supervised run journals its cases to")
	f.IntVar(&s.resumeFD, flagResumeFD, -1, "file descriptor of the state a supervised run resumes from")
	f.MarkHidden(flagJournalFD)
	f.MarkHidden(flagResumeFD)
}

// supervises reports whether a run with the --backend names backends is
// run in a supervised child: where s is set (a whole process, not a
// command run inside a test), this process is not a child already, gl
// can be built in (crashCatcher), and a name may open gl.
func (s *supervision) supervises(backends []string) bool {
	if s == nil || s.journalFD >= 0 || !crashCatcher {
		return false
	}
	for _, n := range backends {
		switch strings.TrimSpace(n) {
		case "gl", "auto", "all":
			return true
		}
	}
	return false
}

// childExit is the exit code of the last child, which printed its own
// messages: printError passes it on without a word.
type childExit struct{ code int }

func (c childExit) Error() string { return "exit status " + strconv.Itoa(c.code) }
