package compute

import (
	"errors"
	"fmt"
)

// Errors a user can cause. Each is wrapped with the particulars, so test
// with errors.Is and print the wrapped error: it says what to do.
var (
	// ErrUsage: a flag, name or value that does not parse.
	ErrUsage = errors.New("bad usage")
	// ErrShape: a shape that does not fit the kernel, or buffers whose
	// lengths do not match the shape.
	ErrShape = errors.New("shape does not fit the kernel")
	// ErrUnknownKernel: no kernel of that name in the catalogue.
	ErrUnknownKernel = errors.New("unknown kernel")
	// ErrUnknownBackend: no backend of that name is registered.
	ErrUnknownBackend = errors.New("unknown backend")
	// ErrUnsupported: the backend cannot run this kernel or dtype.
	ErrUnsupported = errors.New("not supported by this backend")
	// ErrUnavailable: the backend exists but cannot start on this machine.
	ErrUnavailable = errors.New("backend unavailable")
	// ErrTooLarge: the operands would not fit in the memory available.
	ErrTooLarge = errors.New("too large")
	// ErrDeviceLost: the device stopped answering (GPU reset, context lost).
	ErrDeviceLost = errors.New("device lost")
	// ErrReleased: a buffer was used after Release, or a backend after Close.
	ErrReleased = errors.New("used after release")
)

// FieldError says which setting of a request is wrong. Field is the Go
// name of the setting (a field of Options, or of a caller's own config,
// such as "Device" or "Workers"), so that a caller names it in its own
// terms: the CLI as its flag. Err is the sentinel it wraps (ErrUsage,
// ErrUnavailable…), for errors.Is.
type FieldError struct {
	Field string
	// Value is the setting as given, printed with %v.
	Value any
	// Msg says what is wrong and what to do, without naming the field.
	Msg string
	Err error
}

// Error names the field as Go code knows it; a CLI maps Field to its flag
// (cmd/gpubench does) and prints Value and Msg after it.
func (e *FieldError) Error() string {
	return fmt.Sprintf("%v: %s %v: %s", e.Err, e.Field, e.Value, e.Msg)
}

func (e *FieldError) Unwrap() error { return e.Err }
