//go:build cgo

package gl

/*
typedef unsigned int GLenum;
typedef int GLint;
typedef unsigned char GLubyte;
typedef void (*gb_getintegerv)(GLenum, GLint *);
typedef const GLubyte *(*gb_getstring)(GLenum);

static void gb_call_getintegerv(void *f, GLenum pname, GLint *v) { ((gb_getintegerv)f)(pname, v); }
static const char *gb_call_getstring(void *f, GLenum name) { return (const char *)((gb_getstring)f)(name); }
*/
import "C"

import (
	"fmt"
	"unsafe"
)

// GL enums used before the loader has run.
const (
	enumRenderer     = 0x1F01
	enumVersion      = 0x1F02
	enumMajorVersion = 0x821B
	enumMinorVersion = 0x821C
)

// contextVersion reads the current context's version and renderer through
// entry points found by procAddr, without the go-gl loader: that loader
// stops at the first 4.3 function a 4.1 driver lacks and leaves the rest
// unset, so it cannot be used to find out the version is too old.
func contextVersion(procAddr func(string) unsafe.Pointer) (major, minor int, renderer string, err error) {
	getInt, getStr := procAddr("glGetIntegerv"), procAddr("glGetString")
	if getInt == nil || getStr == nil {
		return 0, 0, "", fmt.Errorf("the context has no glGetIntegerv or glGetString")
	}
	renderer = goString(C.gb_call_getstring(getStr, enumRenderer))
	var ma, mi C.GLint
	C.gb_call_getintegerv(getInt, enumMajorVersion, &ma)
	C.gb_call_getintegerv(getInt, enumMinorVersion, &mi)
	major, minor = int(ma), int(mi)
	if major == 0 {
		// Before 3.0 there is no GL_MAJOR_VERSION: read the string.
		fmt.Sscanf(goString(C.gb_call_getstring(getStr, enumVersion)), "%d.%d", &major, &minor)
	}
	return major, minor, renderer, nil
}
