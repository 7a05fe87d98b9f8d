#version 430 core
// sum, one pass: o[g] = Σ x[i] over the WG·LEAF elements of work group g,
// i = g·WG·LEAF + l + j·WG for invocation l < WG and j < LEAF, i < n.
//
// Invocation l adds its LEAF elements serially (LEAF−1 roundings), then
// the group adds the WG partial sums as a binary tree in shared memory
// (log2 WG roundings). The backend runs it again with LEAF = 1 over the
// groups' results until one number is left, so every term of the total
// passes through at most LEAF−1 + ⌈log2⌈n/LEAF⌉⌉ additions. WG is a
// power of two.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef WG
#define WG 256
#endif
#ifndef LEAF
#define LEAF 8
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint n;
uniform uvec2 group_base;

shared DTYPE partial[WG];

void main() {
	uint g = gl_WorkGroupID.x + group_base.x;
	uint l = gl_LocalInvocationID.x;
	uint first = g * uint(WG * LEAF) + l;
	DTYPE acc = DTYPE(0);
	for (uint j = 0u; j < uint(LEAF); j++) {
		uint i = first + j * uint(WG);
		if (i < n) {
			acc += x[i];
		}
	}
	partial[l] = acc;
	memoryBarrierShared();
	barrier();
	for (uint h = uint(WG) / 2u; h > 0u; h /= 2u) {
		if (l < h) {
			partial[l] += partial[l + h];
		}
		memoryBarrierShared();
		barrier();
	}
	if (l == 0u) {
		o[g] = partial[0];
	}
}
