//go:build cgo

package gl

import "unsafe"

// entryPoints are the GL functions the backend calls, every one OpenGL
// 4.3 core. The go-gl loader checks the 4.3 functions it sets today,
// but a context can hand out a null pointer for any name (a half-
// installed driver did, for glGetString), and the first call through it
// jumps to address 0 and takes the process down: loadGL refuses such a
// context by name first. TestEntryPointsListed keeps the list in step
// with the source. glGetGraphicsResetStatus (4.5, or an extension) is
// optional and checked where it is taken (resetStatusFunc).
var entryPoints = [...]string{
	"glAttachShader", "glBeginQuery", "glBindBuffer", "glBindBufferBase", "glBufferData",
	"glBufferSubData", "glClearBufferData", "glCompileShader", "glCreateProgram", "glCreateShader",
	"glDebugMessageCallback", "glDeleteBuffers", "glDeleteProgram", "glDeleteQueries", "glDeleteShader",
	"glDetachShader", "glDispatchCompute", "glEnable", "glEndQuery", "glFinish",
	"glGenBuffers", "glGenQueries", "glGetBufferSubData", "glGetError", "glGetInteger64v",
	"glGetIntegeri_v", "glGetIntegerv", "glGetProgramInfoLog", "glGetProgramiv", "glGetQueryObjectui64v",
	"glGetQueryiv", "glGetShaderInfoLog", "glGetShaderiv", "glGetString", "glGetStringi",
	"glGetUniformLocation", "glLinkProgram", "glMemoryBarrier", "glProgramUniform1d", "glProgramUniform1f",
	"glProgramUniform1ui", "glProgramUniform2ui", "glShaderSource", "glUseProgram",
}

// missingEntryPoints lists the entry points of entryPoints that procAddr
// does not find.
func missingEntryPoints(procAddr func(string) unsafe.Pointer) []string {
	var missing []string
	for _, name := range entryPoints {
		if procAddr(name) == nil {
			missing = append(missing, name)
		}
	}
	return missing
}
