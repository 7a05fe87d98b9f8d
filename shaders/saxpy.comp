#version 430 core
// saxpy: o[i] = alpha*x[i] + y[i] for i < n.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef WG
#define WG 256
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 1) readonly buffer Y { DTYPE y[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint n;
uniform DTYPE alpha;
uniform uvec2 group_base;

void main() {
	uint i = (gl_WorkGroupID.x + group_base.x) * uint(WG) + gl_LocalInvocationID.x;
	if (i < n) {
		o[i] = alpha * x[i] + y[i];
	}
}
