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
		fmt.Fprintf(os.Stderr, "gpubench gl debug: %s %s: %s\n", debugName(typ, "other"), debugName(severity, "note"), message)
	}, nil)
	gl.GetError()
}

// debugName names a debug message's type or severity (GL enums are one
// space of values, so one list holds both), or is other.
func debugName(v uint32, other string) string {
	return nameOf(v, other,
		named{gl.DEBUG_TYPE_ERROR, "error"},
		named{gl.DEBUG_TYPE_DEPRECATED_BEHAVIOR, "deprecated"},
		named{gl.DEBUG_TYPE_UNDEFINED_BEHAVIOR, "undefined behaviour"},
		named{gl.DEBUG_TYPE_PORTABILITY, "portability"},
		named{gl.DEBUG_TYPE_PERFORMANCE, "performance"},
		named{gl.DEBUG_SEVERITY_HIGH, "high"},
		named{gl.DEBUG_SEVERITY_MEDIUM, "medium"},
		named{gl.DEBUG_SEVERITY_LOW, "low"})
}
