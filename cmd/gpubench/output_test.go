//go:build linux

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestOutRefusesNonRegular: --out, --dump and a plot's --out write
// regular files only. A directory, a named pipe, a device and a
// read-only file are refused before the run with exit 2 (a FIFO is not
// opened, so nothing blocks); a symlink is followed, its target replaced
// and the link kept.
func TestOutRefusesNonRegular(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	fifo, ro := fifoAndReadOnly(t, dir)
	dumpDir := filepath.Join(dir, "dump")
	if err := os.Mkdir(dumpDir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dumpDir, "index.json"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--out", fifo}, "is a named pipe (FIFO)"},
		{[]string{"--out", "/dev/null"}, "is a device"},
		{[]string{"--out", dir}, "is a directory"},
		{[]string{"--out", ro}, "is read-only (mode 0444)"},
		{[]string{"--dump", dumpDir}, "is a named pipe (FIFO)"},
	} {
		stdout, stderr, code := gpubench(t, noGL, append(quickRun, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", c.args, code, stderr, c.want)
		}
		if stdout != "" {
			t.Errorf("%v printed results before refusing: %q", c.args, stdout)
		}
	}
	if _, stderr, code := gpubench(t, noGL, "scale", "--kernel", "saxpy", "--size", "1000", "--out", filepath.Join(dir, "scale.svg")); code != exitOK {
		t.Errorf("scale --out to a new file: exit %d, %s", code, stderr)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "plot.svg"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := gpubench(t, noGL, "scale", "--kernel", "saxpy", "--out", filepath.Join(dir, "plot.svg")); code != exitUsage || !strings.Contains(stderr, "FIFO") {
		t.Errorf("scale --out FIFO: exit %d, %s", code, stderr)
	}

	real := filepath.Join(dir, "real.json")
	link := filepath.Join(dir, "link.json")
	if err := os.Symlink("real.json", link); err != nil {
		t.Fatal(err)
	}
	if _, stderr, code := gpubench(t, noGL, append(quickRun, "--out", link)...); code != exitOK {
		t.Fatalf("--out through a symlink: exit %d, %s", code, stderr)
	}
	if st, err := os.Lstat(link); err != nil || st.Mode()&os.ModeSymlink == 0 {
		t.Errorf("--out replaced the symlink: %v", err)
	}
	var rep resultsFile
	if err := json.Unmarshal([]byte(readFile(t, real)), &rep); err != nil || len(rep.Results) != 2 {
		t.Errorf("the symlink's target: %v, %d results", err, len(rep.Results))
	}
}

// TestOutCleansStaleTemp: the temporary file a killed run left beside
// --out goes with the next run to that file; a user's file of a like
// name stays.
func TestOutCleansStaleTemp(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	gone := exec.Command("true")
	if err := gone.Run(); err != nil {
		t.Fatal(err)
	}
	stale := filepath.Join(dir, fmt.Sprintf(".r.json.gpubench-tmp-%d-2718281828", gone.Process.Pid))
	users := filepath.Join(dir, ".thesis.tex.tmp-42")
	for _, p := range []string{stale, users} {
		if err := os.WriteFile(p, []byte(`{"half`), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if _, stderr, code := gpubench(t, noGL, append(quickRun, "--out", filepath.Join(dir, "r.json"))...); code != exitOK {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	if _, err := os.Stat(stale); !os.IsNotExist(err) {
		t.Errorf("the killed run's temporary file is still there: %v", err)
	}
	if _, err := os.Stat(users); err != nil {
		t.Errorf("the user's file was removed: %v", err)
	}
}

// TestOutBeforeStdout: the results file and the last run are written
// before stdout, so that a pipe closed after the first line (| head -1)
// or a full stdout loses nothing; a full stdout is an I/O error, exit 4.
func TestOutBeforeStdout(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	out := filepath.Join(dir, "r.json")
	cache := t.TempDir()
	env := append([]string{"XDG_CACHE_HOME=" + cache}, noGL...)
	// JSON with every repetition's time: some hundreds of KiB, past a
	// pipe's buffer, so that the writer meets the closed pipe.
	args := []string{"run", "--backend", "cpu", "--kernel", "copy,scale,add,triad,saxpy,dot,sum", "--size", "1000",
		"--reps", "2000", "--min-rep-time", "0", "-q", "--out", out, "--format", "json"}

	cmd := exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	pipe, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	first, err := bufio.NewReader(pipe).ReadString('\n')
	if err != nil || !strings.HasPrefix(first, "{") {
		t.Fatalf("first line %q, %v", first, err)
	}
	pipe.Close() // as head -1 does
	cmd.Wait()
	for _, f := range []string{out, filepath.Join(cache, "gpubench", "last.json")} {
		var rep resultsFile
		if err := json.Unmarshal([]byte(readFile(t, f)), &rep); err != nil || !rep.Complete || len(rep.Results) != 7 {
			t.Errorf("%s after stdout closed: %v, %d results", f, err, len(rep.Results))
		}
	}

	os.Remove(out)
	full, err := os.OpenFile("/dev/full", os.O_WRONLY, 0)
	if err != nil {
		t.Skipf("no /dev/full: %v", err)
	}
	defer full.Close()
	cmd = exec.Command(binary, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout = full
	var stderr strings.Builder
	cmd.Stderr = &stderr
	err = cmd.Run()
	if ee, ok := err.(*exec.ExitError); !ok || ee.ExitCode() != exitIO || !strings.Contains(stderr.String(), "standard output") {
		t.Errorf("stdout on a full disk: %v, stderr %q; want exit 4 naming standard output", err, stderr.String())
	}
	var rep resultsFile
	if err := json.Unmarshal([]byte(readFile(t, out)), &rep); err != nil || len(rep.Results) != 7 {
		t.Errorf("--out with stdout on a full disk: %v", err)
	}
}
