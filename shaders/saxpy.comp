#version 430 core
// saxpy (daxpy in double): y[i] = alpha*x[i] + y[i] for i < n, in place,
// as BLAS's axpy. The launch's out is y's buffer: y is bound read-write
// at 1 and nothing at 3.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef WG
#define WG 256
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 1) buffer Y { DTYPE y[]; };
uniform uint n;
uniform DTYPE alpha;
uniform uvec2 group_base;

void main() {
	uint i = (gl_WorkGroupID.x + group_base.x) * uint(WG) + gl_LocalInvocationID.x;
	if (i < n) {
		y[i] = alpha * x[i] + y[i];
	}
}
