#version 430 core
// gemv: o[r] = Σ_j A[r·n + j]·x[j] for row r < m of the row-major m×n A.
//
// Work group g computes row r = g: invocation l adds the products for
// j = l, l+WG, l+2·WG, … serially, then the group adds the WG partial
// sums as a binary tree in shared memory. WG is a power of two.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef WG
#define WG 256
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer A { DTYPE a[]; };
layout(std430, binding = 1) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint m;
uniform uint n;
uniform uvec2 group_base;

shared DTYPE partial[WG];

void main() {
	uint r = gl_WorkGroupID.x + group_base.x;
	uint l = gl_LocalInvocationID.x;
	DTYPE acc = DTYPE(0);
	if (r < m) {
		uint row = r * n;
		for (uint j = l; j < n; j += uint(WG)) {
			acc += a[row + j] * x[j];
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
	if (l == 0u && r < m) {
		o[r] = partial[0];
	}
}
