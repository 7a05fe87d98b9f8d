package hwinfo

// cpuidex executes CPUID with EAX = leaf and ECX = sub and returns the
// four registers it sets.
//
//go:noescape
func cpuidex(leaf, sub uint32) (eax, ebx, ecx, edx uint32)

// nativeCPUID is CPUID itself on amd64.
func nativeCPUID() cpuidFunc { return cpuidex }
