package compute

import "errors"

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
