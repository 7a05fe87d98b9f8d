#version 430 core
// dot, first pass: o[g] = Σ x[i]·y[i] over the WG·LEAF elements of work
// group g, i = g·WG·LEAF + l + j·WG for invocation l < WG and j < LEAF,
// i < n.
//
// Invocation l adds its LEAF products serially, then the group adds the
// WG partial sums as a binary tree in shared memory; sum.comp with
// LEAF = 1 reduces the groups' results. Every product passes through at
// most LEAF−1 + ⌈log2⌈n/LEAF⌉⌉ additions. WG is a power of two.
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
layout(std430, binding = 1) readonly buffer Y { DTYPE y[]; };
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
			acc += x[i] * y[i];
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
