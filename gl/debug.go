//go:build cgo

package gl

import (
	"fmt"
	"os"
	"unsafe"

	"github.com/go-gl/gl/v4.3-core/gl"
)

// enableDebugOutput sends the debug context's messages to standard error
// (EnvDebug=1), synchronously so that each comes from the call that
// caused it. Call on the owner thread.
func enableDebugOutput() {
	gl.Enable(gl.DEBUG_OUTPUT)
	gl.Enable(gl.DEBUG_OUTPUT_SYNCHRONOUS)
	gl.DebugMessageCallback(func(source, typ, id, severity uint32, length int32, message string, _ unsafe.Pointer) {
		fmt.Fprintf(os.Stderr, "gpubench gl debug: %s %s: %s\n", debugType(typ), debugSeverity(severity), message)
	}, nil)
	gl.GetError()
}

func debugType(t uint32) string {
	switch t {
	case gl.DEBUG_TYPE_ERROR:
		return "error"
	case gl.DEBUG_TYPE_DEPRECATED_BEHAVIOR:
		return "deprecated"
	case gl.DEBUG_TYPE_UNDEFINED_BEHAVIOR:
		return "undefined behaviour"
	case gl.DEBUG_TYPE_PORTABILITY:
		return "portability"
	case gl.DEBUG_TYPE_PERFORMANCE:
		return "performance"
	}
	return "other"
}

func debugSeverity(s uint32) string {
	switch s {
	case gl.DEBUG_SEVERITY_HIGH:
		return "high"
	case gl.DEBUG_SEVERITY_MEDIUM:
		return "medium"
	case gl.DEBUG_SEVERITY_LOW:
		return "low"
	}
	return "note"
}
