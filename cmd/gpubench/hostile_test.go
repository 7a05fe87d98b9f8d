package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// Files a hostile or careless user hands to the commands that read
// results files: each is made here, by the test.

// writeTemp writes content to name in dir and returns its path.
func writeTemp(t *testing.T, dir, name, content string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

// TestCompareRefusesWhatIsNotOneReport: compare exits 2 naming the
// fault on a good file followed by garbage, two files joined, an object
// without results, the output of 'gpubench info --json', and a file
// whose run finished no case; never 0.
func TestCompareRefusesWhatIsNotOneReport(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	good := readFile(t, golden("v1.json"))
	info, stderr, code := gpubench(t, noGL, "info", "--json")
	if code != exitOK {
		t.Fatalf("info --json: exit %d, %s", code, stderr)
	}
	for _, c := range []struct{ name, content, want string }{
		{"garbage.json", good + "garbage", "holds more after its JSON object"},
		{"joined.json", good + good, "two files joined"},
		{"bare.json", `{"schema_version":1}`, `is not a complete results file: it has no "results"`},
		{"info.json", info, "is 'gpubench info --json' output, not a results file"},
		{"array.json", `[{"schema_version":1}]`, "it holds a JSON array, where a results file holds an object"},
		{"wrong.json", `{"schema_version":1,"results":{}}`, `field "results" holds an object where a results file has an array`},
		{"none.json", `{"schema_version":1,"results":null}`, "holds no case to compare"},
	} {
		p := writeTemp(t, dir, c.name, c.content)
		for _, args := range [][]string{{"compare", golden("v1.json"), p}, {"compare", p, golden("v1.json")}} {
			_, stderr, code := gpubench(t, noGL, args...)
			if code != exitUsage || !strings.Contains(stderr, c.name) || !strings.Contains(stderr, c.want) {
				t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", args, code, stderr, c.want)
			}
		}
	}
}

// hostileName is what a results file may hold in place of a name: XML's
// markup characters, an escape sequence that turns a terminal red and
// one that sets its title, a bell, a right-to-left override.
const hostileName = "<&\"\x1b[31mred\a\x1b]0;owned\a\u202e"

// hostileShown is hostileName as a terminal or a plot shows it.
const hostileShown = `<&"\x1b[31mred\a\x1b]0;owned\a\u202e`

// poisoned writes a copy of the results file src to dir with
// hostileName after every backend, device, level and CPU name (each
// backend alike, so that its cases still match) and among every list of
// notes, and a byte that is not UTF-8 after each "red".
func poisoned(t *testing.T, src, dir string) string {
	t.Helper()
	var v any
	if err := json.Unmarshal([]byte(readFile(t, src)), &v); err != nil {
		t.Fatal(err)
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, x := range v {
				switch s, isString := x.(string); {
				case isString && (k == "backend" || k == "base" || k == "challenger" || k == "device" || k == "level" || k == "brand"):
					v[k] = s + hostileName
				case k == "notes":
					v[k] = append(x.([]any), hostileName)
				case k == "name" && isString:
					v[k] = s + hostileName
				default:
					walk(x)
				}
			}
		case []any:
			for _, x := range v {
				walk(x)
			}
		}
	}
	walk(v)
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	b = bytes.ReplaceAll(b, []byte("red"), []byte("r\xffed"))
	return writeTemp(t, dir, "poisoned-"+filepath.Base(src), string(b))
}

// checkShown fails where out holds a character a terminal acts on (a
// control character but the newline, a byte that is not UTF-8), or
// where it does not show the hostile name escaped.
func checkShown(t *testing.T, what, out string) {
	t.Helper()
	if !utf8.ValidString(out) {
		t.Errorf("%s: not UTF-8:\n%q", what, out)
	}
	for _, r := range out {
		if r != '\n' && r != ' ' && !strconv.IsPrint(r) {
			t.Errorf("%s: holds %U raw:\n%q", what, r, out)
			return
		}
	}
	if !strings.Contains(out, `\x1b[31mr`) {
		t.Errorf("%s: no name shown escaped:\n%s", what, out)
	}
}

// TestNamesFromFilesShownEscaped: names read from results files reach
// the terminal with their control characters escaped, through compare,
// crossover --from and roofline --from and --last; their plots are
// well-formed XML that shows them so; JSON keeps them as data.
func TestNamesFromFilesShownEscaped(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	docs := filepath.Join("..", "..", "docs", "results")
	run := poisoned(t, golden("v1.json"), dir)
	cross := poisoned(t, filepath.Join(docs, "zen5-2vcpu-2026-12-04", "crossover.json"), dir)
	roof := poisoned(t, filepath.Join(docs, "xeon-emr-2vcpu-2026-11-26", "roofline.json"), dir)
	svg := func(name string) string { return filepath.Join(dir, name+".svg") }
	for _, c := range []struct {
		name string
		args []string
	}{
		{"compare", []string{"compare", run, run}},
		{"crossover", []string{"crossover", "--from", cross, "--out", svg("crossover")}},
		{"roofline", []string{"roofline", "--from", roof, "--last", run, "--out", svg("roofline")}},
	} {
		stdout, stderr, code := gpubench(t, noGL, c.args...)
		if code != exitOK {
			t.Errorf("%s: exit %d, %s", c.name, code, stderr)
			continue
		}
		checkShown(t, c.name, stdout)
		if c.name != "compare" {
			checkSVG(t, svg(c.name), hostileShown[:10])
		}
	}
	// JSON keeps the names as data: escaped by JSON, read back whole
	// (the byte that was not UTF-8 as U+FFFD, as JSON reads it).
	stdout, stderr, code := gpubench(t, noGL, "compare", "--format", "json", run, run)
	var cmp struct{ Cases []struct{ Case string } }
	if err := json.Unmarshal([]byte(stdout), &cmp); err != nil || code != exitOK || len(cmp.Cases) == 0 {
		t.Fatalf("compare --format json: exit %d, %v, %s", code, err, stderr)
	}
	if want := strings.Replace(hostileName, "red", "r\uFFFDed", 1); !strings.Contains(cmp.Cases[0].Case, want) {
		t.Errorf("compare --format json: case %q does not hold the name %q", cmp.Cases[0].Case, want)
	}
}

// TestEchoedArgumentsShort: an error that echoes an argument of 120 KB
// shows its first 77 characters, an ellipsis and its length.
func TestEchoedArgumentsShort(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("x", 120000)
	for _, args := range [][]string{
		{"run", "--kernel", long}, {"run", "--kernel=dot," + long}, {"run", "--size", long}, {"run", "--format", long},
		{"run", "--out", long}, {"crossover", "--max-size", long}, {long}, {"compare", long, long},
	} {
		_, stderr, code := gpubench(t, noGL, args...)
		if code != exitUsage || len(stderr) > 400 || !strings.Contains(stderr, strings.Repeat("x", 77)+"…") || !strings.Contains(stderr, "(120000 bytes)") {
			t.Errorf("%.20q…: exit %d, %d bytes of stderr: %.400s", args, code, len(stderr), stderr)
		}
	}
}

// TestHugeFiguresFromFiles: a results file whose times and rates are
// 1e308 is compared in figures of a few digits, not 310.
func TestHugeFiguresFromFiles(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	huge := writeTemp(t, dir, "huge.json", strings.NewReplacer(`"median_ns": `, `"median_ns": 1e308, "x": `,
		`"min_ns": `, `"min_ns": 1e308, "y": `, `"max_ns": `, `"max_ns": 1e308, "z": `).Replace(readFile(t, golden("v1.json"))))
	stdout, stderr, code := gpubench(t, noGL, "compare", golden("v1.json"), huge)
	if code != exitOK || regexp.MustCompile(`[0-9]{13,}`).MatchString(stdout) || !strings.Contains(stdout, "e+299 s") {
		t.Errorf("compare with times of 1e308 ns: exit %d, %s\n%s", code, stderr, stdout)
	}
}

// TestCrossoverBelowSmallestSize: a --max-size or --max-square below the
// smallest size of the sweep is refused as such (exit 2), naming that
// size, and not blamed on memory; at the smallest size the sweep runs.
func TestCrossoverBelowSmallestSize(t *testing.T) {
	t.Parallel()
	base := []string{"crossover", "--backend", "cpu/generic,cpu", "--max-transfer", "4Ki", "--reps", "1", "-q"}
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--kernel", "saxpy", "--max-size", "1"}, "--max-size 1 is below the smallest size of saxpy's sweep, 1024: use 1024 or more"},
		{[]string{"--kernel", "fma", "--max-size", "1000"}, "--max-size 1000 is below the smallest size of fma's sweep, 1024"},
		{[]string{"--kernel", "gemm", "--max-square", "8"}, "--max-square 8 is below the smallest side of gemm's sweep, 16: use 16 or more"},
	} {
		_, stderr, code := gpubench(t, noGL, append(base, c.args...)...)
		if code != exitUsage || !strings.Contains(stderr, c.want) || strings.Contains(stderr, "memory") {
			t.Errorf("%v: exit %d, stderr %q; want 2 saying %q", c.args, code, stderr, c.want)
		}
	}
	// A --max-size below the vectors' smallest does not concern gemm.
	if _, stderr, code := gpubench(t, noGL, append(base, "--kernel", "gemm", "--max-size", "1", "--max-square", "16")...); code != exitOK {
		t.Errorf("gemm with --max-size 1: exit %d, %s", code, stderr)
	}
	if _, stderr, code := gpubench(t, noGL, append(base, "--kernel", "saxpy", "--max-size", "1Ki")...); code != exitOK {
		t.Errorf("saxpy at its smallest size: exit %d, %s", code, stderr)
	}
}

// TestRooflineFromOddSavedPoints: a roofline file whose saved kernel
// points a log scale cannot place (a rate of 0, no kernel) draws with
// them left out and counted; one whose points do not decode is refused,
// naming them.
func TestRooflineFromOddSavedPoints(t *testing.T) {
	t.Parallel()
	dir := t.TempDir()
	var roof map[string]json.RawMessage
	if err := json.Unmarshal([]byte(readFile(t, filepath.Join("..", "..", "docs", "results", "xeon-emr-2vcpu-2026-11-26", "roofline.json"))), &roof); err != nil {
		t.Fatal(err)
	}
	with := func(name, points string) string {
		roof["last_run_kernels"] = json.RawMessage(points)
		b, err := json.Marshal(roof)
		if err != nil {
			t.Fatal(err)
		}
		return writeTemp(t, dir, name, string(b))
	}
	odd := with("odd.json", `[{"kernel":"dot","backend":"cpu","shape":"8","dtype":"float32","intensity":0.25,"gflops":0},
		{"backend":"cpu","intensity":1,"gflops":1},
		{"kernel":"gemv","backend":"cpu","shape":"8","dtype":"float32","intensity":0.4,"gflops":3}]`)
	stdout, stderr, code := gpubench(t, noGL, "roofline", "--from", odd, "--out", filepath.Join(dir, "odd.svg"))
	if code != exitOK || !strings.Contains(stdout, "2 of its cases left out") || strings.Contains(stdout, "Kernel(0)") {
		t.Errorf("roofline --from a file of odd points: exit %d, %s\n%s", code, stderr, stdout)
	}
	bad := with("bad.json", `[{"kernel":"nope"}]`)
	if _, stderr, code := gpubench(t, noGL, "roofline", "--from", bad); code != exitUsage || !strings.Contains(stderr, "last_run_kernels") {
		t.Errorf("roofline --from a file of points that do not decode: exit %d, %s", code, stderr)
	}
}
