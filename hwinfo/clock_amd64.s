#include "textflag.h"

// ADD10 is ten dependent adds: AX += BX, ten times.
#define ADD10 ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX; ADDQ BX, AX

// func addChain(n int64) int64
// addChain does n×addsPerIter dependent adds AX += BX, each waiting one
// cycle for the last. Register-register adds, because some cores fold
// adds of an immediate at rename: on the 4.1 GHz Xeon (AMX) this was
// written on, a chain of ADDQ $1, AX ran at 24 adds per ns, while
// ADDQ BX, AX gave 4.09 GHz, as a chain of 3-cycle IMULQ did. The loop
// counter runs beside the chain.
TEXT ·addChain(SB), NOSPLIT, $0-16
	MOVQ n+0(FP), CX
	XORQ AX, AX
	MOVQ $1, BX
	TESTQ CX, CX
	JLE  done

loop:
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	ADD10
	DECQ CX
	JNZ  loop

done:
	MOVQ AX, ret+8(FP)
	RET
