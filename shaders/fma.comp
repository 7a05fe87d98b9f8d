#version 430 core
// fma: o[i] = fᴷ(x[i]) for i < n, K = k steps of f(a) = a·mul + add
// (compute.FMAMul, compute.FMAAdd), each one fma(): K dependent fused
// multiply-adds per element, so the work grows with k while the memory
// traffic (one read, one write) does not. k, mul and add are uniforms,
// so the compiler can neither fold the chain nor a step: with mul = 1.0
// as a constant, fma(a, 1.0, add) would compile to an add.
//
// Each invocation runs CHAINS independent chains side by side, elements
// WG apart (so a work group's loads and stores stay contiguous): their
// FMAs can issue back to back where one chain would wait out the
// latency of each step, on a GPU whose warps are few and on a CPU
// emulating one (llvmpipe).
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef WG
#define WG 256
#endif
#ifndef CHAINS
#define CHAINS 4
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint n;
uniform uint k;
uniform DTYPE mul;
uniform DTYPE add;
uniform uvec2 group_base;

void main() {
	uint base = (gl_WorkGroupID.x + group_base.x) * uint(WG * CHAINS) + gl_LocalInvocationID.x;
	DTYPE a[CHAINS];
	for (int c = 0; c < CHAINS; c++) {
		uint i = base + uint(c * WG);
		a[c] = i < n ? x[i] : DTYPE(0);
	}
	for (uint j = 0u; j < k; j++) {
		for (int c = 0; c < CHAINS; c++) {
			a[c] = fma(a[c], mul, add);
		}
	}
	for (int c = 0; c < CHAINS; c++) {
		uint i = base + uint(c * WG);
		if (i < n) {
			o[i] = a[c];
		}
	}
}
