package main

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/compute"
)

// Shell completion (cobra's `gpubench completion bash|zsh|fish|powershell`)
// completes the names the flags take: kernels and dtypes from compute's
// catalogue, backends and CPU levels from the backends gpubench has,
// formats from each command's own list (addFormat).

// registerCompletions completes the flags of root and its commands
// that take names. It runs only for a completion request (cobra's
// __complete): cobra keeps completion functions in a package-level map
// that is never emptied, which would hold every command tree a process
// makes (the tests make hundreds).
func registerCompletions(root *cobra.Command, r *compute.Registry) {
	backendNames := func() []string { return backendNames(r) }
	registerCompletion(root, "cpu-disable", func() []string { return cpuLevelNames(r) })
	for _, cmd := range root.Commands() {
		for flag, names := range map[string]func() []string{"kernel": kernelNames, "backend": backendNames, "dtype": dtypeNames} {
			if cmd.Flags().Lookup(flag) != nil {
				registerCompletion(cmd, flag, names)
			}
		}
		if f := cmd.Flags().Lookup("format"); f != nil {
			if v, ok := f.Value.(*formatFlag); ok {
				registerCompletion(cmd, "format", v.names)
			}
		}
	}
}

// registerCompletion completes cmd's flag with names(). A list flag
// (--kernel saxpy,d) completes the name after its last comma, keeping
// the ones before, and leaves the cursor after it for another comma.
func registerCompletion(cmd *cobra.Command, flag string, names func() []string) {
	directive := cobra.ShellCompDirectiveNoFileComp
	f := cmd.Flags().Lookup(flag)
	if f == nil {
		f = cmd.PersistentFlags().Lookup(flag)
	}
	if f != nil && f.Value.Type() == "stringSlice" {
		directive |= cobra.ShellCompDirectiveNoSpace
	}
	cmd.RegisterFlagCompletionFunc(flag, func(_ *cobra.Command, _ []string, toComplete string) ([]string, cobra.ShellCompDirective) {
		done, last := "", toComplete
		if i := strings.LastIndexByte(toComplete, ','); i >= 0 {
			done, last = toComplete[:i+1], toComplete[i+1:]
		}
		var out []string
		for _, n := range names() {
			if strings.HasPrefix(n, last) {
				out = append(out, done+n)
			}
		}
		return out, directive
	})
}

// kernelNames are --kernel's names: the catalogue's, and all.
func kernelNames() []string { return append(compute.KernelNames(), "all") }

// dtypeNames are --dtype's names: the catalogue's, and all (which run
// and roofline take).
func dtypeNames() []string {
	var out []string
	for _, d := range compute.DTypes() {
		out = append(out, d.String())
	}
	return append(out, "all")
}

// backendNames are --backend's names: every backend gpubench has, its
// groups, and auto and all.
func backendNames(r *compute.Registry) []string {
	return append(r.BackendNames(compute.Options{Device: -1}), "auto", "all")
}

// cpuLevelNames are the CPU levels --cpu-disable can hold off: those
// the cpu backend has as backends of their own (cpu/<level>) but the
// generic one.
func cpuLevelNames(r *compute.Registry) []string {
	var out []string
	for _, n := range r.BackendNames(compute.Options{Device: -1}) {
		if l, ok := strings.CutPrefix(n, "cpu/"); ok && l != "all" && l != "generic" {
			out = append(out, l)
		}
	}
	return out
}
