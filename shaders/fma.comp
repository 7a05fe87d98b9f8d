#version 430 core
// fma: o[i] = fᴷ(x[i]) for i < n, K = k steps of f(a) = a·MUL + ADD
// (compute.FMAMul, compute.FMAAdd), each one fma(): K dependent fused
// multiply-adds per element, so the work grows with k while the memory
// traffic (one read, one write) does not. k is a uniform, so the compiler
// cannot fold the chain.
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
// The constants as double literals, rounded once into DTYPE.
#ifndef MUL
#define MUL 0.5lf
#endif
#ifndef ADD
#define ADD 0.25lf
#endif
layout(local_size_x = WG) in;
layout(std430, binding = 0) readonly buffer X { DTYPE x[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
uniform uint n;
uniform uint k;
uniform uvec2 group_base;

void main() {
	uint base = (gl_WorkGroupID.x + group_base.x) * uint(WG * CHAINS) + gl_LocalInvocationID.x;
	const DTYPE mul = DTYPE(MUL);
	const DTYPE add = DTYPE(ADD);
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
