#version 430 core
// transpose: o[j·m + i] = A[i·n + j] for the row-major m×n A, i < m, j < n.
//
// A work group moves one TILE×TILE tile through shared memory, so that
// both the reads of A and the writes of o run along rows (coalesced). The
// tile has one extra column so that reading it by columns does not hit
// one shared-memory bank. Each of the TILE×ROWS invocations moves
// TILE/ROWS elements.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef TILE
#define TILE 32
#endif
#ifndef ROWS
#define ROWS 8
#endif
layout(local_size_x = TILE, local_size_y = ROWS) in;
layout(std430, binding = 0) readonly buffer A { DTYPE a[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint m;
uniform uint n;
uniform uvec2 group_base;

shared DTYPE tile[TILE][TILE + 1];

void main() {
	uvec2 g = gl_WorkGroupID.xy + group_base;
	uint tx = gl_LocalInvocationID.x;
	uint ty = gl_LocalInvocationID.y;
	uint col = g.x * uint(TILE) + tx; // column of A read
	for (uint r = ty; r < uint(TILE); r += uint(ROWS)) {
		uint row = g.y * uint(TILE) + r;
		if (row < m && col < n) {
			tile[r][tx] = a[row * n + col];
		}
	}
	memoryBarrierShared();
	barrier();
	uint i = g.y * uint(TILE) + tx; // column of o written (row of A)
	for (uint r = ty; r < uint(TILE); r += uint(ROWS)) {
		uint j = g.x * uint(TILE) + r; // row of o written (column of A)
		if (j < n && i < m) {
			o[j * m + i] = tile[tx][r];
		}
	}
}
