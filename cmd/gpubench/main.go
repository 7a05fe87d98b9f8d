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
//	gpubench scale        speedup over workers, with Amdahl's fit
//	gpubench compare      results files against the first
//	gpubench transfer     host↔device copy rates and dispatch latency
//	gpubench crossover    the size from which the GPU beats the CPU
//
// The command only parses flags, asks the harness to measure and prints
// what it returns (package report); exit codes are in exit.go.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/gl"
	"github.com/gpubench/gpubench/harness"
	"github.com/gpubench/gpubench/results"
)

func main() {
	limitGoMemory()
	os.Exit(mainWith(harness.NewEnv(newBackends(isolated)), newSupervision(os.Args[1:])))
}

// mainWith runs the command line of this process with the backends of
// env, a run that may open gl supervised as sup says, stopping on SIGINT
// or SIGTERM (see signalContext), and returns its exit code.
func mainWith(env *harness.Env, sup *supervision) int {
	ctx, sig := signalContext()
	code := runWith(ctx, env, sup, os.Args[1:], os.Stdout, os.Stderr)
	if s := sig(); s != nil {
		code = 128 + int(s.(syscall.Signal))
	}
	return code
}

// signalContext is cancelled by SIGINT or SIGTERM, which stops the case
// in flight at its next check; sig tells which came. A second signal
// closes the context's abandon channel (abandonOf): the run returns at
// once, leaving a case whose kernel call or check is still going, and
// what finished is written. A third ends the process there and then.
func signalContext() (context.Context, func() os.Signal) {
	ctx, cancel := context.WithCancel(context.Background())
	abandon := make(chan struct{})
	ctx = context.WithValue(ctx, abandonKey{}, (<-chan struct{})(abandon))
	ch := make(chan os.Signal, 3)
	got := make(chan os.Signal, 1)
	signal.Notify(ch, os.Interrupt, syscall.SIGTERM)
	go func() {
		s := <-ch
		got <- s
		cancel()
		<-ch
		close(abandon)
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

// abandonKey holds signalContext's abandon channel in its context.
type abandonKey struct{}

// abandonOf is the channel that closes on a second signal, for
// harness.Config.Abandon; nil (never) for a context signalContext did not
// make.
func abandonOf(ctx context.Context) <-chan struct{} {
	ch, _ := ctx.Value(abandonKey{}).(<-chan struct{})
	return ch
}

// run executes one command line with the backends of env and returns
// the exit code; nothing is supervised (see globals.sup).
func run(ctx context.Context, env *harness.Env, args []string, stdout, stderr io.Writer) int {
	return runWith(ctx, env, nil, args, stdout, stderr)
}

// runWith is run, a run that may open gl supervised as sup says. Every
// command, cobra's help and completion scripts included, writes to
// standard output through one errWriter, which keeps the first error a
// write met; it is checked here, once, after the command (stdoutFailed),
// so that no command can lose a write to a full disk by not looking.
func runWith(ctx context.Context, env *harness.Env, sup *supervision, args []string, stdout, stderr io.Writer) int {
	out := &errWriter{w: stdout}
	root := newRoot(env, sup, out, stderr)
	if len(args) > 0 && (args[0] == cobra.ShellCompRequestCmd || args[0] == cobra.ShellCompNoDescRequestCmd) {
		registerCompletions(root, env.Registry)
	}
	root.SetArgs(args)
	return printError(stderr, stdoutFailed(root.ExecuteContext(ctx), out.err, stderr, args), args)
}

func newRoot(env *harness.Env, sup *supervision, stdout, stderr io.Writer) *cobra.Command {
	g := &globals{env: env, sup: sup}
	o := defaultRunOptions(g)
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
		Args:              usageArgs(cobra.NoArgs),
		SilenceUsage:      true,
		SilenceErrors:     true,
		PersistentPreRunE: g.prepare,
		RunE: func(cmd *cobra.Command, _ []string) error {
			if g.version {
				return printVersion(stdout)
			}
			return runSuite(cmd.Context(), o, stdout, stderr)
		},
	}
	root.SetOut(stdout)
	root.SetErr(stderr)
	root.SetFlagErrorFunc(func(_ *cobra.Command, err error) error { return usageError{flagValueError(err)} })
	g.bind(root.PersistentFlags())
	if sup != nil {
		sup.bind(root.PersistentFlags())
	}
	// --version is the root's own flag, handled by hand: cobra's
	// Command.Version prints through a template, and text/template in
	// the binary turns off the linker's dead-code elimination.
	root.Flags().BoolVarP(&g.version, "version", "v", false, "print gpubench's version and exit")
	root.AddCommand(newInfo(stdout, o), newList(stdout, g), newRun(stdout, stderr, g), newCompare(stdout), newScale(stdout, g),
		newRoofline(stdout, stderr, g), newCrossover(stdout, stderr, g), newTransfer(stdout, stderr, g), newGLProbe(stdout))
	return root
}

// printVersion prints "gpubench <version>": the module's version and
// the VCS revision it was built from (runtime/debug.ReadBuildInfo), as
// every report's "build" holds.
func printVersion(stdout io.Writer) error {
	return writeStdout(stdout, func(w io.Writer) error {
		_, err := fmt.Fprintln(w, "gpubench", results.BuildInfo().String())
		return err
	})
}

// newGLProbe is the child's side of gl.Isolation: `gpubench __glprobe`
// opens GL and says how that went, `gpubench __glprobe devices` lists
// the devices, as JSON on stdout.
func newGLProbe(stdout io.Writer) *cobra.Command {
	return &cobra.Command{
		Use:    glProbeCommand + " [devices]",
		Hidden: true,
		Args:   usageArgs(cobra.MaximumNArgs(1)),
		RunE: func(_ *cobra.Command, args []string) error {
			return gl.ServeProbe(stdout, len(args) == 1 && args[0] == "devices")
		},
	}
}
