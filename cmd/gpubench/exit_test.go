package main

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestExitCodeByKind: each kind of error maps to the code the README's
// exit table gives it, however deeply it is wrapped.
func TestExitCodeByKind(t *testing.T) {
	wrap := func(err error) error { return fmt.Errorf("backend x: %w", err) }
	for _, c := range []struct {
		err  error
		code int
	}{
		{nil, exitOK},
		{&exitError{exitMismatch, errors.New("2 case(s) failed verification")}, exitMismatch},
		{wrap(fmt.Errorf("%w: gl: no context", compute.ErrUnavailable)), exitUnavailable},
		{wrap(fmt.Errorf("%w: bad --reps", compute.ErrUsage)), exitUsage},
		{wrap(compute.ErrShape), exitUsage},
		{wrap(compute.ErrUnknownKernel), exitUsage},
		{wrap(compute.ErrUnknownBackend), exitUsage},
		{wrap(compute.ErrTooLarge), exitUsage},
		{wrap(compute.ErrUnsupported), exitUsage},
		{usageError{errors.New(`unknown command "x" for "gpubench"`)}, exitUsage},
		{wrap(&fs.PathError{Op: "open", Path: "/x", Err: fs.ErrPermission}), exitUsage},
	} {
		if got := exitCode(c.err); got != c.code {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.code)
		}
	}
}
