//go:build cgo

package gl

import (
	"slices"
	"strings"

	"github.com/go-gl/gl/v4.3-core/gl"

	"github.com/gpubench/gpubench/compute"
)

// isSoftware reports whether renderer names a CPU rasteriser (Mesa's
// llvmpipe and softpipe, Google's SwiftShader).
func isSoftware(renderer string) bool {
	r := strings.ToLower(renderer)
	for _, s := range [...]string{"llvmpipe", "softpipe", "swiftshader"} {
		if strings.Contains(r, s) {
			return true
		}
	}
	return false
}

// glExtensions lists the context's extensions, each a whole name.
func glExtensions() map[string]bool {
	var n int32
	gl.GetIntegerv(gl.NUM_EXTENSIONS, &n)
	ext := make(map[string]bool, n)
	for i := range uint32(n) {
		ext[gl.GoStr(gl.GetStringi(gl.EXTENSIONS, i))] = true
	}
	return ext
}

// GL_NVX_gpu_memory_info's dedicated video memory, in KiB.
const gpuMemoryInfoDedicatedVidmemNVX = 0x9047

// probeGPU describes the current context. Call on the owner thread.
func probeGPU(c glContext) compute.GPU {
	g := compute.GPU{
		Vendor:      gl.GoStr(gl.GetString(gl.VENDOR)),
		Renderer:    gl.GoStr(gl.GetString(gl.RENDERER)),
		GLVersion:   gl.GoStr(gl.GetString(gl.VERSION)),
		GLSLVersion: gl.GoStr(gl.GetString(gl.SHADING_LANGUAGE_VERSION)),
		Context:     c.kind(),
		Device:      c.describe(),
	}
	g.Software = isSoftware(g.Renderer)
	for i := range 3 {
		var v int32
		gl.GetIntegeri_v(gl.MAX_COMPUTE_WORK_GROUP_COUNT, uint32(i), &v)
		g.MaxWorkGroupCount[i] = int(v)
		gl.GetIntegeri_v(gl.MAX_COMPUTE_WORK_GROUP_SIZE, uint32(i), &v)
		g.MaxWorkGroupSize[i] = int(v)
	}
	var v int32
	gl.GetIntegerv(gl.MAX_COMPUTE_WORK_GROUP_INVOCATIONS, &v)
	g.MaxWorkGroupInvocations = int(v)
	gl.GetIntegerv(gl.MAX_COMPUTE_SHARED_MEMORY_SIZE, &v)
	g.MaxSharedMemory = int(v)
	var v64 int64
	gl.GetInteger64v(gl.MAX_SHADER_STORAGE_BLOCK_SIZE, &v64)
	g.MaxSSBOSize = v64
	var bits int32
	gl.GetQueryiv(gl.TIME_ELAPSED, gl.QUERY_COUNTER_BITS, &bits)
	g.TimerQuery = bits > 0

	// The extensions that matter to the kernels, each group reported as
	// a flag and every one present listed in g.Extensions.
	fp64 := []string{"GL_ARB_gpu_shader_fp64"}
	subgroups := []string{"GL_KHR_shader_subgroup", "GL_ARB_shader_ballot", "GL_NV_shader_thread_group"}
	atomics := []string{"GL_NV_shader_atomic_float", "GL_NV_shader_atomic_float64", "GL_INTEL_shader_atomic_float_minmax"}
	others := []string{"GL_ARB_gpu_shader_int64", "GL_ARB_compute_variable_group_size", "GL_ARB_timer_query",
		"GL_KHR_debug", "GL_NV_gpu_shader5", "GL_NVX_gpu_memory_info", "GL_ATI_meminfo"}
	ext := glExtensions()
	has := func(names []string) bool {
		for _, n := range names {
			if ext[n] {
				g.Extensions = append(g.Extensions, n)
			}
		}
		return slices.ContainsFunc(names, func(n string) bool { return ext[n] })
	}
	g.FP64 = has(fp64)
	g.Subgroups = has(subgroups)
	g.Atomics = has(atomics)
	has(others)
	if ext["GL_NVX_gpu_memory_info"] {
		var kib int32
		gl.GetIntegerv(gpuMemoryInfoDedicatedVidmemNVX, &kib)
		g.MemoryBytes = int64(kib) << 10
	}
	gl.GetError() // a driver that refused a query leaves an error behind
	return g
}

// flushesSubnormals is compute.Device.FlushesSubnormals for every GL
// device: GLSL (4.30 §4.7.1) lets an implementation flush subnormal
// float32 values to zero, and GPUs do, so verification of special values
// accepts a flushed result. llvmpipe keeps them, and passes either way.
const flushesSubnormals = true
