//go:build cgo

package gl

import (
	"errors"
	"fmt"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// resetStatusFunc returns the context's glGetGraphicsResetStatus: core
// from OpenGL 4.5, else GL_KHR_robustness's or GL_ARB_robustness's; nil
// where it has none, or where c hands out no pointer for it (the go-gl
// loader leaves a missing one unset, and calling it would crash). Call on
// the owner thread.
func resetStatusFunc(c glContext) func() uint32 {
	var major, minor int32
	gl.GetIntegerv(gl.MAJOR_VERSION, &major)
	gl.GetIntegerv(gl.MINOR_VERSION, &minor)
	ext := glExtensions()
	has := func(name string) bool { return c.procAddr(name) != nil }
	switch {
	case (major > 4 || major == 4 && minor >= 5) && has("glGetGraphicsResetStatus"):
		return gl.GetGraphicsResetStatus
	case ext["GL_KHR_robustness"] && has("glGetGraphicsResetStatusKHR"):
		return gl.GetGraphicsResetStatusKHR
	case ext["GL_ARB_robustness"] && has("glGetGraphicsResetStatusARB"):
		return gl.GetGraphicsResetStatusARB
	}
	return nil
}

// resetStrategy says whether the context was made to report resets
// (GL_LOSE_CONTEXT_ON_RESET); without it glGetGraphicsResetStatus always
// answers GL_NO_ERROR and a reset shows only as wrong results or a hang.
// Call on the owner thread, where resetStatusFunc found the function.
func resetStrategy() string {
	var s int32
	gl.GetIntegerv(gl.RESET_NOTIFICATION_STRATEGY, &s)
	gl.GetError() // a driver without the query leaves GL_INVALID_ENUM
	if s == gl.LOSE_CONTEXT_ON_RESET {
		return "lose context on reset"
	}
	return "no (the driver made a context without reset notification)"
}

// resetName names an answer of glGetGraphicsResetStatus.
func resetName(status uint32) string {
	return nameOf(status, fmt.Sprintf("reset status 0x%04x", status),
		named{gl.GUILTY_CONTEXT_RESET, "GL_GUILTY_CONTEXT_RESET: a dispatch of this context hung the GPU"},
		named{gl.INNOCENT_CONTEXT_RESET, "GL_INNOCENT_CONTEXT_RESET: another program hung the GPU"},
		named{gl.UNKNOWN_CONTEXT_RESET, "GL_UNKNOWN_CONTEXT_RESET"})
}

// checkReset looks for a lost context after a call to the owner thread
// whose error is err: a GL_CONTEXT_LOST among the GL errors, or, where
// the call waited for the device (waits) or failed, a reset status other
// than GL_NO_ERROR (resetHook's where a test set one). It records the
// loss in b.lost, so that every later call is refused, and returns it;
// nil while the context lives. Call on the owner thread.
func (b *backend) checkReset(err error, waits bool) error {
	status := func() uint32 {
		if !waits && err == nil {
			return gl.NO_ERROR
		}
		if b.resetHook != nil {
			return b.resetHook()
		}
		if b.resetStatus != nil {
			return b.resetStatus()
		}
		return gl.NO_ERROR
	}()
	switch {
	case status != gl.NO_ERROR:
		b.lost = fmt.Errorf("%w: gl: the context was reset (%s); its buffers are gone: close the backend and open a new one", compute.ErrDeviceLost, resetName(status))
	case errors.Is(err, compute.ErrDeviceLost):
		b.lost = fmt.Errorf("%w; close the backend and open a new one", err)
	}
	return b.lost
}
