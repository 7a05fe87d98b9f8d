package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"
	"github.com/spf13/pflag"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/report"
	"github.com/gpubench/gpubench/results"
)

// Exit codes, as docs/errors.md's table documents them.
const (
	exitOK          = 0
	exitMismatch    = 1
	exitUsage       = 2
	exitUnavailable = 3
	exitIO          = 4
)

// exitError carries the code of an outcome a command decides on: a
// result that did not verify, a run cut short.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

// usageError is a command line cobra refused: an unknown command or
// flag, a flag value that does not parse, arguments a command does not
// take.
type usageError struct{ err error }

func (e usageError) Error() string { return e.err.Error() }
func (e usageError) Unwrap() error { return e.err }

// flagValueError is err, a flag's error, with the cause of a value the
// flag could not parse in words: strconv's and time's errors name Go's
// functions ("strconv.ParseInt: parsing \"1e9\": invalid syntax").
func flagValueError(err error) error {
	var iv *pflag.InvalidValueError
	if !errors.As(err, &iv) || iv.Unwrap() == nil {
		return err
	}
	cause := iv.Unwrap()
	var words string
	var ne *strconv.NumError
	switch {
	case errors.As(cause, &ne) && errors.Is(ne.Err, strconv.ErrRange):
		words = "beyond the largest whole number a flag takes"
	case errors.As(cause, &ne) && ne.Func == "ParseBool":
		words = "not true or false"
	case errors.As(cause, &ne) && ne.Func == "ParseFloat":
		words = "not a number"
	case errors.As(cause, &ne):
		words = "not a whole number"
	case strings.HasPrefix(cause.Error(), "time: "):
		words = "not a duration gpubench takes: use a number and a unit, e.g. 500ms, 2s or 1m30s, up to 2562047h"
	default:
		return err
	}
	return errors.New(strings.TrimSuffix(iv.Error(), cause.Error()) + words)
}

// usageArgs makes a cobra argument check's error a usageError.
func usageArgs(check cobra.PositionalArgs) cobra.PositionalArgs {
	return func(cmd *cobra.Command, args []string) error {
		if err := check(cmd, args); err != nil {
			return usageError{err}
		}
		return nil
	}
}

// exitCode maps an error to its exit code by its kind:
//
//   - an outcome a command decided (exitError): its own code (1 for
//     cases that failed, 3 for a run in which nothing could run);
//   - a file that could not be written once the run had started
//     (results.ErrWrite: --out, a plot, a dump, standard output) and a
//     device that was lost mid-run (compute.ErrDeviceLost): 4;
//   - a backend asked for by name that cannot open here
//     (compute.ErrUnavailable): 3;
//   - a mistake in the command line or its input (compute.ErrUsage,
//     ErrShape, ErrUnknownKernel, ErrUnknownBackend, ErrTooLarge,
//     ErrUnsupported, a usageError of cobra's), and an input file that
//     cannot be read (fs.PathError): 2. An output refused before the
//     run (a directory, a FIFO, a read-only file) is a usage error.
//
// An error of none of these kinds is a fault of gpubench's own; it is
// reported as 2 as well, docs/errors.md's catch-all for a run that could
// not be made, and its message says what failed.
func exitCode(err error) int {
	var ee *exitError
	var ue usageError
	var pe *fs.PathError
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, results.ErrWrite), errors.Is(err, compute.ErrDeviceLost):
		return exitIO
	case errors.Is(err, compute.ErrUnavailable):
		return exitUnavailable
	case errors.Is(err, compute.ErrUsage), errors.Is(err, compute.ErrShape),
		errors.Is(err, compute.ErrUnknownKernel), errors.Is(err, compute.ErrUnknownBackend),
		errors.Is(err, compute.ErrTooLarge), errors.Is(err, compute.ErrUnsupported),
		errors.As(err, &ue), errors.As(err, &pe):
		return exitUsage
	default:
		return exitUsage
	}
}

// stdoutFailed is the outcome of a command whose writes to standard
// output met outErr (nil where every write went through): err where
// standard output took everything, or where err already reports that
// failure (writeStdout); else the failure to write, an ErrWrite (exit
// 4), with err, a different failure, printed on stderr before it. A
// command whose output did not reach its reader has failed, whatever
// else it did.
func stdoutFailed(err, outErr error, stderr io.Writer, args []string) error {
	if outErr == nil || errors.Is(err, outErr) && errors.Is(err, results.ErrWrite) {
		return err
	}
	if err != nil && !errors.Is(err, outErr) {
		printError(stderr, err, args)
	}
	return fmt.Errorf("%w: standard output: %w", results.ErrWrite, outErr)
}

// printError prints err's first line on stderr (a shader's compile log
// whole), naming a setting by its flag (flagNamed), with every long value
// of args it echoes cut short (shortenEchoes) and a character a terminal
// would act on escaped (report.Printable), and returns its exit code.
func printError(stderr io.Writer, err error, args []string) int {
	if err == nil {
		return exitOK
	}
	if c, ok := err.(childExit); ok {
		return c.code // the supervised child said why
	}
	fmt.Fprintln(report.PrintableTo(stderr), "gpubench:", shortenEchoes(firstLine(flagNamed(err)), args))
	return exitCode(err)
}

// echoLimit is the most characters of a value an error echoes: enough
// to recognise it. Longer values are cut to it, with an ellipsis and
// their full length.
const echoLimit = 80

// shortenEchoes is msg with every value longer than echoLimit that it
// echoes cut short: an argument of args (whole, after a flag's '=', or
// an item of a comma-separated list), as it is or quoted, and any other
// quoted string (a name read from a file).
func shortenEchoes(msg string, args []string) string {
	for _, v := range longValues(args) {
		msg = strings.ReplaceAll(msg, strconv.Quote(v), strconv.Quote(clip(v))+lengthOf(v))
		msg = strings.ReplaceAll(msg, v, clip(v)+lengthOf(v))
	}
	return quoted.ReplaceAllStringFunc(msg, func(q string) string {
		v, err := strconv.Unquote(q)
		if err != nil || len(v) <= echoLimit {
			return q
		}
		return strconv.Quote(clip(v)) + lengthOf(v)
	})
}

// quoted matches a string as %q writes it.
var quoted = regexp.MustCompile(`"(?:[^"\\]|\\.)*"`)

// longValues are the values of args longer than echoLimit that an error
// may echo, longest first: each argument, what follows a flag's '=', and
// each item of a comma-separated list.
func longValues(args []string) []string {
	var out []string
	add := func(v string) {
		if len(v) > echoLimit && !slices.Contains(out, v) {
			out = append(out, v)
		}
	}
	for _, a := range args {
		add(a)
		if _, v, ok := strings.Cut(a, "="); ok {
			add(v)
			a = v
		}
		for _, item := range strings.Split(a, ",") {
			add(strings.TrimSpace(item))
		}
	}
	slices.SortFunc(out, func(a, b string) int { return len(b) - len(a) })
	return out
}

// clip is v's first echoLimit-3 characters and an ellipsis.
func clip(v string) string {
	n := 0
	for i := range v {
		if n == echoLimit-3 {
			return v[:i] + "…"
		}
		n++
	}
	return v
}

// lengthOf says how long v is, after a clipped echo of it.
func lengthOf(v string) string { return fmt.Sprintf(" (%d bytes)", len(v)) }

// flagOf names the flag that sets each field a library's
// compute.FieldError can name, with what to add after its message.
var flagOf = map[string]struct{ flag, hint string }{
	"Device":        {"--device", "; see 'gpubench list --devices'"},
	"Workers":       {"--workers", ""},
	"Disable":       {"--cpu-disable", ""},
	"Reps":          {"--reps", ""},
	"Warmup":        {"--warmup", ""},
	"MinRepTime":    {"--min-rep-time", ""},
	"MinWarmupTime": {"--min-warmup-time", ""},
	"Verify":        {"--verify", ""},
	"Dump":          {"--dump", ""},
	"MaxRunTime":    {"--max-run-time", ""},
	"Size":          {"--size", ""},
}

// flagNamed is err's text, where a *compute.FieldError in it names its
// setting by the Go field, with the flag in its place.
func flagNamed(err error) string {
	s := err.Error()
	if nr, ok := errors.AsType[*results.NotResultsError](err); ok {
		s = strings.Replace(s, nr.Error(), notResults(nr), 1)
	}
	var fe *compute.FieldError
	if !errors.As(err, &fe) {
		return s
	}
	f, ok := flagOf[fe.Field]
	if !ok {
		return s
	}
	if _, long := errors.AsType[*harness.TooLongError](err); long {
		f.hint += "; pass --long to allow runs past a day"
	}
	return strings.Replace(s, fe.Error(), fmt.Sprintf("%v: %s %v: %s%s", fe.Err, f.flag, fe.Value, fe.Msg, f.hint), 1)
}

// outputOf is the command line that writes each command's JSON output
// (results.NotResultsError's Command).
var outputOf = map[string]string{
	"info":    "gpubench info --json",
	"list":    "gpubench list --json",
	"compare": "gpubench compare --format json",
	"scale":   "gpubench scale --format json",
}

// notResults says what e says, with the command lines: the one that
// wrote the file, and the one that writes a results file.
func notResults(e *results.NotResultsError) string {
	if c, ok := outputOf[e.Command]; ok {
		return fmt.Sprintf("is '%s' output, not a results file ('gpubench run --out' writes one)", c)
	}
	return e.Error() + " ('gpubench run --out' writes one)"
}

func firstLine(s string) string {
	if i := strings.IndexByte(s, '\n'); i >= 0 && !strings.Contains(s, "compile") {
		return s[:i]
	}
	return s
}
