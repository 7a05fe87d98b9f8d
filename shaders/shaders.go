// Package shaders holds the GLSL compute shaders of the gl backend, one
// .comp file per kernel, embedded in the binary.
//
// Every file is a complete GLSL 4.30 compute shader that glslangValidator
// accepts as it stands. The backend specialises it by inserting #defines
// after the #version line; each file gives a default for every define it
// reads:
//
//	DTYPE, VEC4  the element type and its 4-vector (float, vec4 or double, dvec4)
//	WG           work-group size of one-dimensional kernels
//	LEAF         terms one invocation of a reduction adds serially
//	BM BN BK TM TN VEC_A VEC_B   gemm's tiles (see gemm.comp)
//	TILE ROWS    transpose's tile
//	CHAINS       independent chains one invocation of fma runs
//
// Operands are shader storage blocks bound at 0, 1, 2 in the order of the
// kernel's inputs (compute.Kernel.Inputs) and the result at 3, but for a
// kernel that updates an input in place (saxpy's y, read-write at 1),
// whose result is that input. Sizes are
// the uniforms n (and m, k); alpha and beta, and fma's step constants
// mul and add, are of type DTYPE; group_base
// is added to gl_WorkGroupID so that a grid larger than the driver's
// GL_MAX_COMPUTE_WORK_GROUP_COUNT runs as several dispatches.
package shaders

import (
	"embed"
	"fmt"
	"io/fs"
	"strings"
)

//go:embed *.comp
var files embed.FS

// Source returns the text of the shader name ("gemm" for gemm.comp).
func Source(name string) (string, error) {
	b, err := files.ReadFile(name + ".comp")
	if err != nil {
		return "", fmt.Errorf("shaders: no shader %q: have %s", name, strings.Join(Names(), ", "))
	}
	return string(b), nil
}

// Names lists the shaders, without the .comp suffix, in name order.
func Names() []string {
	ents, _ := fs.ReadDir(files, ".")
	var names []string
	for _, e := range ents {
		names = append(names, strings.TrimSuffix(e.Name(), ".comp"))
	}
	return names
}
