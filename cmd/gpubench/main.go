// Command gpubench runs the same vector and matrix kernels on the CPU and
// the GPU, checks every result against a float64 reference, and reports
// throughput.
//
//	gpubench              quick suite on every available backend
//	gpubench info         the machine: CPU, caches, SIMD, peak, GPU
//	gpubench list         kernels and backends (with why one is missing)
//	gpubench run [flags]  choose kernels, sizes, backends, formats
//	gpubench roofline     bandwidth, FMA peak and intensity sweep per backend,
//	                      with the last run's kernels placed on them
//
// Exit codes: 0 every result verified; 1 a result did not match its
// reference; 2 usage or bad input; 3 a backend asked for by name is not
// available; 130/143 interrupted by SIGINT/SIGTERM after writing what
// finished.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"

	// Backends register themselves.
	_ "github.com/gpubench/gpubench/gl"
	_ "github.com/gpubench/gpubench/peer"
)

// Exit codes.
const (
	exitOK          = 0
	exitMismatch    = 1
	exitUsage       = 2
	exitUnavailable = 3
)

func main() {
	ctx, sig := signalContext()
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	if s := sig(); s != nil {
		code = 128 + int(s.(syscall.Signal))
	}
	os.Exit(code)
}

// signalContext is cancelled by SIGINT or SIGTERM; sig tells which came.
func signalContext() (context.Context, func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	ch := make(chan os.Signal, 2)
	got := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-ch
		got <- s
		cancel()
		// A second signal ends the process at once.
		s = <-ch
		os.Exit(128 + int(s.(syscall.Signal)))
	}()
	return ctx, func() os.Signal {
		select {
		case s := <-got:
			return s
		default:
			return nil
		}
	}
}

// run executes one command line and returns the exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	root := newRoot(stdout, stderr)
	root.SetArgs(args)
	err := root.ExecuteContext(ctx)
	if err == nil {
		return exitOK
	}
	fmt.Fprintln(stderr, "gpubench:", firstLine(err))
	return exitCode(err)
}

// exitError carries an exit code chosen by a command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func exitCode(err error) int {
	var ee *exitError
	switch {
	case errors.As(err, &ee):
		return ee.code
	case errors.Is(err, compute.ErrUnavailable):
		return exitUnavailable
	case errors.Is(err, compute.ErrUsage), errors.Is(err, compute.ErrShape),
		errors.Is(err, compute.ErrUnknownKernel), errors.Is(err, compute.ErrUnknownBackend),
		errors.Is(err, compute.ErrTooLarge), errors.Is(err, compute.ErrUnsupported):
		return exitUsage
	}
	// Cobra's own errors (unknown flag or command, bad flag value) are
	// usage errors too; anything else is reported as one, never a crash.
	return exitUsage
}

func firstLine(err error) string {
	s := err.Error()
	if i := strings.IndexByte(s, '\n'); i >= 0 && !strings.Contains(s, "compile") {
		return s[:i]
	}
	return s
}

func newRoot(stdout, stderr io.Writer) *cobra.Command {
	o := defaultRunOptions()
	root := &cobra.Command{
		Use:   "gpubench",
		Short: "Run the same kernels on CPU and GPU, verify them, and report throughput",
		Long: `gpubench runs vector and matrix kernels (STREAM's four, saxpy, dot, sum,
gemv, gemm, transpose, and fma chains for the FMA peak) on every
backend it can open — the CPU with SIMD kernels chosen for this
processor, and OpenGL 4.3 compute shaders — checks each result against
a float64 reference within a derived error bound, and reports GFLOP/s,
GB/s and the share of the machine's peak.

With no command it runs a quick suite on every available backend.`,
		Args:          cobra.NoArgs,
		SilenceUsage:  true,
		SilenceErrors: true,
		RunE: func(cmd *cobra.Command, _ []string) error {
			return runSuite(cmd.Context(), o, stdout, stderr)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error {
		return &exitError{exitUsage, err}
	})
	addGlobalFlags(root.PersistentFlags(), o)
	addCPUDisable(root)
	root.AddCommand(newInfo(stdout, o), newList(stdout), newRun(stdout, stderr), newCompare(stdout), newScale(stdout, stderr),
		newRoofline(stdout, stderr))
	return root
}
