#version 430 core
// gemm: o = alpha·A·B + beta·C for row-major A (m×k), B (k×n), C and o
// (m×n); C is not read where beta = 0, so NaN in C does not reach o.
//
// A work group computes a BM×BN block of o, walking k in steps of BK: it
// stages the BM×BK slice of A (transposed) and the BK×BN slice of B in
// shared memory, then each of its (BN/TN)×(BM/TM) invocations
// accumulates a TM×TN tile of products in registers, reading TM values
// of A and TN of B from shared memory for TM·TN multiply-adds. An
// invocation's rows are ty + i·BM/TM and columns tx + j·BN/TN, so that
// the invocations of a row of the group touch adjacent columns of B and
// o (coalesced). Where k (resp. n) is a multiple of 4, VEC_A (resp.
// VEC_B) loads the slices as 4-vectors. Out-of-range elements of the
// slices are staged as 0, which adds 0·0 = 0 exactly to in-range results,
// so every m, n, k is exact at the edges.
#ifndef DTYPE
#define DTYPE float
#endif
#ifndef VEC4
#define VEC4 vec4
#endif
#ifndef BM
#define BM 64
#endif
#ifndef BN
#define BN 64
#endif
#ifndef BK
#define BK 16
#endif
#ifndef TM
#define TM 4
#endif
#ifndef TN
#define TN 4
#endif
#ifndef VEC_A
#define VEC_A 0
#endif
#ifndef VEC_B
#define VEC_B 0
#endif
// The work group's size, BN/TN × BM/TM, as literals: GLSL 4.30 takes
// no expressions in layout qualifiers.
#ifndef WX
#define WX 16
#endif
#ifndef WY
#define WY 16
#endif
#if WX * TN != BN || WY * TM != BM
#error gemm: WX·TN must be BN and WY·TM must be BM
#endif
#if (VEC_A && BK % 4 != 0) || (VEC_B && BN % 4 != 0)
#error gemm: 4-vector loads need BK and BN multiples of 4
#endif
#define THREADS (WX * WY)

layout(local_size_x = WX, local_size_y = WY) in;
layout(std430, binding = 0) readonly buffer A { DTYPE a[]; };
layout(std430, binding = 1) readonly buffer B { DTYPE b[]; };
layout(std430, binding = 2) readonly buffer C { DTYPE c[]; };
layout(std430, binding = 3) writeonly buffer O { DTYPE o[]; };
#if VEC_A
layout(std430, binding = 4) readonly buffer A4 { VEC4 a4[]; };
#endif
#if VEC_B
layout(std430, binding = 5) readonly buffer B4 { VEC4 b4[]; };
#endif
uniform uint m;
uniform uint n;
uniform uint k;
uniform DTYPE alpha;
uniform DTYPE beta;
uniform uvec2 group_base;

shared DTYPE As[BK][BM]; // As[q][r] = A[row0 + r, k0 + q]
shared DTYPE Bs[BK][BN]; // Bs[q][s] = B[k0 + q, col0 + s]

void main() {
	uvec2 g = gl_WorkGroupID.xy + group_base;
	uint row0 = g.y * uint(BM);
	uint col0 = g.x * uint(BN);
	uint tx = gl_LocalInvocationID.x;
	uint ty = gl_LocalInvocationID.y;
	uint tid = ty * uint(WX) + tx;

	DTYPE acc[TM][TN];
	for (int i = 0; i < TM; i++) {
		for (int j = 0; j < TN; j++) {
			acc[i][j] = DTYPE(0);
		}
	}
	for (uint k0 = 0u; k0 < k; k0 += uint(BK)) {
#if VEC_A
		for (uint e = tid; e < uint(BM * BK / 4); e += uint(THREADS)) {
			uint r = e / uint(BK / 4);
			uint q = (e % uint(BK / 4)) * 4u;
			uint row = row0 + r;
			VEC4 v = VEC4(0);
			if (row < m && k0 + q < k) {
				v = a4[(row * k + k0 + q) / 4u];
			}
			As[q][r] = v.x;
			As[q + 1u][r] = v.y;
			As[q + 2u][r] = v.z;
			As[q + 3u][r] = v.w;
		}
#else
		for (uint e = tid; e < uint(BM * BK); e += uint(THREADS)) {
			uint r = e / uint(BK);
			uint q = e % uint(BK);
			uint row = row0 + r;
			As[q][r] = (row < m && k0 + q < k) ? a[row * k + k0 + q] : DTYPE(0);
		}
#endif
#if VEC_B
		for (uint e = tid; e < uint(BK * BN / 4); e += uint(THREADS)) {
			uint q = e / uint(BN / 4);
			uint s = (e % uint(BN / 4)) * 4u;
			uint col = col0 + s;
			VEC4 v = VEC4(0);
			if (k0 + q < k && col < n) {
				v = b4[((k0 + q) * n + col) / 4u];
			}
			Bs[q][s] = v.x;
			Bs[q][s + 1u] = v.y;
			Bs[q][s + 2u] = v.z;
			Bs[q][s + 3u] = v.w;
		}
#else
		for (uint e = tid; e < uint(BK * BN); e += uint(THREADS)) {
			uint q = e / uint(BN);
			uint s = e % uint(BN);
			uint col = col0 + s;
			Bs[q][s] = (k0 + q < k && col < n) ? b[(k0 + q) * n + col] : DTYPE(0);
		}
#endif
		memoryBarrierShared();
		barrier();
		for (int q = 0; q < BK; q++) {
			DTYPE ar[TM];
			DTYPE br[TN];
			for (int i = 0; i < TM; i++) {
				ar[i] = As[q][ty + uint(i * WY)];
			}
			for (int j = 0; j < TN; j++) {
				br[j] = Bs[q][tx + uint(j * WX)];
			}
			for (int i = 0; i < TM; i++) {
				for (int j = 0; j < TN; j++) {
					acc[i][j] += ar[i] * br[j];
				}
			}
		}
		// The next slice overwrites As and Bs: wait for every reader.
		barrier();
	}
	for (int i = 0; i < TM; i++) {
		uint row = row0 + ty + uint(i * WY);
		for (int j = 0; j < TN; j++) {
			uint col = col0 + tx + uint(j * WX);
			if (row < m && col < n) {
				uint idx = row * n + col;
				DTYPE v = alpha * acc[i][j];
				if (beta != DTYPE(0)) {
					v += beta * c[idx];
				}
				o[idx] = v;
			}
		}
	}
}
