package main

import (
	"errors"
	"fmt"
	"io/fs"
	"testing"

	"github.com/gpubench/gpubench/compute"
	"github.com/gpubench/gpubench/results"
)

// TestExitCodeByKind: each kind of error maps to the code docs/errors.md's
// exit table gives it, however deeply it is wrapped.
func TestExitCodeByKind(t *testing.T) {
	t.Parallel()
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
		{fmt.Errorf("--out r.json: %w", fmt.Errorf("%w: %w", results.ErrWrite, &fs.PathError{Op: "write", Path: "r.json", Err: errors.New("no space left on device")})), exitIO},
		{wrap(fmt.Errorf("%w: gl: the context was reset", compute.ErrDeviceLost)), exitIO},
		{errors.Join(fmt.Errorf("gl: %w", compute.ErrDeviceLost), fmt.Errorf("x: %w", compute.ErrUnavailable)), exitIO},
		{&exitError{exitUnavailable, errors.New("nothing ran: every case is unsupported")}, exitUnavailable},
	} {
		if got := exitCode(c.err); got != c.code {
			t.Errorf("exitCode(%v) = %d, want %d", c.err, got, c.code)
		}
	}
}
