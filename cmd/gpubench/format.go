package main

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/spf13/cobra"

	"github.com/gpubench/gpubench/report"
)

// addFormat adds --format to cmd: a report.Format, read into *f as the
// flag is parsed, one of allowed (what cmd writes; *f is the default).
// Shell completion offers allowed (registerCompletions). With alias set
// it adds the hidden --json too, the older spelling of --format json.
func addFormat(cmd *cobra.Command, f *report.Format, help string, alias bool, allowed ...report.Format) {
	cmd.Flags().Var(&formatFlag{f: f, allowed: allowed}, "format", help)
	if alias {
		fl := cmd.Flags().VarPF(jsonAlias{f}, "json", "", "print JSON: the same as --format json")
		fl.NoOptDefVal, fl.Hidden = "true", true
		cmd.MarkFlagsMutuallyExclusive("format", "json")
	}
}

// formatFlag is a --format flag's value.
type formatFlag struct {
	f       *report.Format
	allowed []report.Format
}

func (v *formatFlag) String() string { return v.f.String() }
func (v *formatFlag) Type() string   { return "string" }

// Set parses s once, into the report.Format every writer then takes; its
// error is a flag error of cobra's, a usage error (exit 2).
func (v *formatFlag) Set(s string) error {
	f, err := report.ParseFormat(s)
	if err != nil || !slices.Contains(v.allowed, f) {
		return fmt.Errorf("unknown format %q: use %s", s, orList(v.allowed))
	}
	*v.f = f
	return nil
}

// jsonAlias is --json, a boolean flag that sets a --format to json.
type jsonAlias struct{ f *report.Format }

func (a jsonAlias) String() string   { return strconv.FormatBool(*a.f == report.FormatJSON) }
func (a jsonAlias) Type() string     { return "bool" }
func (a jsonAlias) IsBoolFlag() bool { return true }

func (a jsonAlias) Set(s string) error {
	b, err := strconv.ParseBool(s)
	if err != nil {
		return err
	}
	if b {
		*a.f = report.FormatJSON
	}
	return nil
}

// names are the formats the flag takes, for shell completion.
func (v *formatFlag) names() []string {
	names := make([]string, len(v.allowed))
	for i, a := range v.allowed {
		names[i] = a.String()
	}
	return names
}

// orList writes fs as "a, b or c".
func orList(fs []report.Format) string {
	names := make([]string, len(fs))
	for i, f := range fs {
		names[i] = f.String()
	}
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " or " + names[len(names)-1]
}
