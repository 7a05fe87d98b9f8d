package main

import (
	"debug/elf"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"testing"
)

// graphicsLib matches the names of GL, EGL, X11 and other display
// libraries: none may be needed at load time, so that the binary starts
// on a machine without them (gl loads libEGL at run time).
var graphicsLib = regexp.MustCompile(`^lib(EGL|GL|OpenGL|X|xcb|wayland|gbm|drm|vulkan)`)

// TestNoGLLibrariesNeeded reads the binary as a user builds it (go build,
// no flags: TestMain's) and fails if its ELF names a graphics library as
// needed (DT_NEEDED): the dynamic loader would refuse to start it where
// the library is missing, every command and the CPU backend with it.
func TestNoGLLibrariesNeeded(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skipf("reads an ELF binary's needed libraries: linux only, not %s", runtime.GOOS)
	}
	f, err := elf.Open(binary)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	libs, err := f.ImportedLibraries()
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s needs %v", binary, libs)
	for _, lib := range libs {
		if graphicsLib.MatchString(lib) {
			t.Errorf("the binary needs %s at load time: it would not start without it (see gl/dl_egl.go)", lib)
		}
	}
}

// hiddenLib matches the libraries TestRunsWithoutGLLibraries hides: GL,
// EGL and their dispatch and window-system libraries.
var hiddenLib = regexp.MustCompile(`^lib(EGL|GL|OpenGL|X11)`)

// graphicsLibFiles lists the files of the GL, EGL and X11 libraries the
// dynamic loader knows (ldconfig -p), links resolved, each once.
func graphicsLibFiles(t *testing.T) []string {
	t.Helper()
	out, err := exec.Command("ldconfig", "-p").Output()
	if err != nil {
		t.Skipf("ldconfig -p, to find the GL libraries: %v", err)
	}
	var files []string
	for _, line := range strings.Split(string(out), "\n") {
		// "\tlibEGL.so.1 (libc6,x86-64) => /lib/x86_64-linux-gnu/libEGL.so.1"
		name, path, ok := strings.Cut(strings.TrimSpace(line), " => ")
		if !ok || !hiddenLib.MatchString(name) {
			continue
		}
		real, err := filepath.EvalSymlinks(path)
		if err != nil {
			continue // a dangling link is missing already
		}
		if !slices.Contains(files, real) {
			files = append(files, real)
		}
	}
	return files
}

// withoutLibsCase is one command run without the GL libraries, and
// what it must give.
type withoutLibsCase struct {
	args []string
	code int
	// says is text stdout or stderr must hold.
	says string
}

// withoutLibsCases: every command works (info and list say why gl is
// unavailable); gl asked for by name is exit 3, naming the library.
var withoutLibsCases = []withoutLibsCase{
	{[]string{"info"}, exitOK, "libEGL.so.1"},
	{[]string{"list"}, exitOK, "libEGL.so.1"},
	{[]string{"run", "--backend", "cpu", "--kernel", "saxpy", "--size", "1Ki", "--reps", "1"}, exitOK, "saxpy"},
	{[]string{"run", "--backend", "all", "--kernel", "saxpy", "--size", "1Ki", "--reps", "1"}, exitOK, "saxpy"},
	{[]string{"run", "--backend", "gl", "--kernel", "saxpy", "--size", "1Ki", "--reps", "1"}, 3, "cannot load libEGL.so.1"},
}

// checkWithoutLibs runs each case through run (the binary in whatever
// setting hides the libraries) and checks its exit code and output.
func checkWithoutLibs(t *testing.T, run func(args ...string) (string, string, int)) {
	t.Helper()
	if !glBuilt {
		t.Skip("built without cgo: no gl backend, and no library to load")
	}
	for _, c := range withoutLibsCases {
		stdout, stderr, code := run(c.args...)
		if code != c.code || !strings.Contains(stdout+stderr, c.says) {
			t.Errorf("gpubench %s without the GL libraries: exit %d, want %d saying %q\nstdout:\n%s\nstderr:\n%s",
				strings.Join(c.args, " "), code, c.code, c.says, stdout, stderr)
		}
	}
}

// TestRunsWithoutGLLibraries hides every GL, EGL and X11 library the
// dynamic loader knows from the binary (each bound over by /dev/null in
// a mount namespace of its own, so for those runs only), as on a machine
// without Mesa: every command starts, the CPU backend runs, and gl is
// unavailable with the library named. It needs root for the namespace;
// TestRunsWithCraftedLibEGL always runs.
func TestRunsWithoutGLLibraries(t *testing.T) {
	if os.Geteuid() != 0 {
		t.Skip("needs root to hide the libraries in a mount namespace (unshare -m)")
	}
	if _, err := exec.LookPath("unshare"); err != nil {
		t.Skipf("needs unshare (util-linux) to hide the libraries: %v", err)
	}
	if out, err := exec.Command("unshare", "-m", "true").CombinedOutput(); err != nil {
		t.Skipf("unshare -m: %v: %s", err, out)
	}
	libs := graphicsLibFiles(t)
	t.Logf("hiding %v", libs)
	// sh -c SCRIPT sh LIB... -- BINARY ARGS...: bind each LIB over, then
	// run the binary.
	const script = `while [ "$1" != -- ]; do mount --bind /dev/null "$1" || exit 99; shift; done; shift; exec "$@"`
	checkWithoutLibs(t, func(args ...string) (string, string, int) {
		argv := append([]string{"-m", "sh", "-c", script, "sh"}, libs...)
		argv = append(append(argv, "--", binary), args...)
		return run1(t, "unshare", "", nil, argv...)
	})
}

// TestRunsWithCraftedLibEGL gives the binary a libEGL.so.1 that is not a
// library, found first on LD_LIBRARY_PATH: as TestRunsWithoutGLLibraries,
// without root.
func TestRunsWithCraftedLibEGL(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "libEGL.so.1"), []byte(strings.Repeat("not a library ", 16)), 0o644); err != nil {
		t.Fatal(err)
	}
	checkWithoutLibs(t, func(args ...string) (string, string, int) {
		return gpubench(t, []string{"LD_LIBRARY_PATH=" + dir}, args...)
	})
}
