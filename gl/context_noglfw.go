//go:build cgo && !glfw

package gl

import "errors"

// glfwBuilt says that this build has no GLFW context: GLFW links libX11
// and needs the X11 headers to build, so it comes only with the glfw tag
// (context_glfw.go).
const glfwBuilt = false

// newGLFWContext says that this build has no GLFW and how to get it.
func newGLFWContext(bool) (glContext, error) {
	return nil, errors.New("this build has no GLFW; rebuild with -tags glfw (go build -tags glfw ./cmd/gpubench; it needs the X11 headers), or use GPUBENCH_GL=egl")
}
