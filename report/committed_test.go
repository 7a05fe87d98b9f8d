package report

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/results"
)

// TestCSVOfCommittedFiles: the CSV of a run and of a transfer
// measurement committed in docs/results is, byte for byte, the one in
// testdata: what gpubench wrote before kernels, shapes and transfer
// cases were typed, with the figures that are not known (a PEAK without
// a bound, copies not measured) left empty rather than 0.
func TestCSVOfCommittedFiles(t *testing.T) {
	for src, golden := range map[string]string{
		"zen5-2vcpu-2026-12-07/quick-base-1.json": "quick-base-1.csv",
		"zen5-2vcpu-2026-12-04/transfer.json":     "transfer.csv",
	} {
		rep, err := results.LoadReport(filepath.Join("..", "docs", "results", src))
		if err != nil {
			t.Fatal(err)
		}
		want, err := os.ReadFile(filepath.Join("testdata", golden))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := writeCSV(&b, rep); err != nil {
			t.Fatal(err)
		}
		if b.String() != string(want) {
			t.Errorf("CSV of %s differs from testdata/%s:\n%s", src, golden, b.String())
		}
	}
}

// TestTransferTableOfCommittedFile: the transfer table of the committed
// measurement, read from its cases, is the one printed when it was
// measured (transfer.txt beside it).
func TestTransferTableOfCommittedFile(t *testing.T) {
	dir := filepath.Join("..", "docs", "results", "zen5-2vcpu-2026-12-04")
	rep, err := results.LoadReport(filepath.Join(dir, "transfer.json"))
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile(filepath.Join(dir, "transfer.txt"))
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	TransferTable(&b, rep)
	if b.String() != string(want) {
		t.Errorf("transfer table:\n%s\nwant (transfer.txt):\n%s", b.String(), want)
	}
}
