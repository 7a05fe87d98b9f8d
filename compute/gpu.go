package compute

// GPU describes a GPU as its OpenGL driver reports it: the gl backend
// fills it and Device carries it.
type GPU struct {
	Vendor      string `json:"vendor"`
	Renderer    string `json:"renderer"`
	GLVersion   string `json:"gl_version"`
	GLSLVersion string `json:"glsl_version"`
	// Context is how the context was made: "egl-device",
	// "egl-surfaceless" or "glfw".
	Context string `json:"context"`
	// Device says what the context runs on: the EGL device (its DRM node
	// or CUDA device), Mesa's surfaceless platform, or the GLFW display.
	Device string `json:"device,omitempty"`
	// Software is true for CPU rasterisers (llvmpipe, softpipe,
	// SwiftShader): their figures check correctness, not speed.
	Software bool `json:"software"`

	MaxWorkGroupCount       [3]int `json:"max_work_group_count"`
	MaxWorkGroupSize        [3]int `json:"max_work_group_size"`
	MaxWorkGroupInvocations int    `json:"max_work_group_invocations"`
	MaxSharedMemory         int    `json:"max_shared_memory_bytes"`
	MaxSSBOSize             int64  `json:"max_ssbo_bytes"`
	// MemoryBytes is the device memory where the driver says
	// (GL_NVX_gpu_memory_info, GL_ATI_meminfo); 0 where unknown.
	MemoryBytes int64 `json:"memory_bytes,omitempty"`

	FP64       bool `json:"fp64"`
	Subgroups  bool `json:"subgroups"`
	Atomics    bool `json:"float_atomics"`
	TimerQuery bool `json:"timer_query"`
	// Extensions lists the extensions that matter to the kernels.
	Extensions []string `json:"extensions,omitempty"`
}
