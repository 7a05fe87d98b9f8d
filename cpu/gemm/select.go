package gemm

// kernel32 and kernel64 return the micro-kernel for this CPU.
func kernel32() *kernel[float32] { return generic32 }
func kernel64() *kernel[float64] { return generic64 }
