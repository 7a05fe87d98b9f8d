//go:build cgo

package gl

import (
	"testing"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// TestEnumNames: the name tables of reset statuses and debug messages
// name what they list and fall back for the rest.
func TestEnumNames(t *testing.T) {
	for _, c := range []struct{ got, want string }{
		{resetName(gl.GUILTY_CONTEXT_RESET), "GL_GUILTY_CONTEXT_RESET: a dispatch of this context hung the GPU"},
		{resetName(gl.INNOCENT_CONTEXT_RESET), "GL_INNOCENT_CONTEXT_RESET: another program hung the GPU"},
		{resetName(gl.UNKNOWN_CONTEXT_RESET), "GL_UNKNOWN_CONTEXT_RESET"},
		{resetName(0x1234), "reset status 0x1234"},
		{debugName(gl.DEBUG_TYPE_UNDEFINED_BEHAVIOR, "other"), "undefined behaviour"},
		{debugName(gl.DEBUG_TYPE_OTHER, "other"), "other"},
		{debugName(gl.DEBUG_SEVERITY_MEDIUM, "note"), "medium"},
		{debugName(gl.DEBUG_SEVERITY_NOTIFICATION, "note"), "note"},
	} {
		if c.got != c.want {
			t.Errorf("got %q, want %q", c.got, c.want)
		}
	}
}
