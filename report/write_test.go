package report

import (
	"errors"
	"strings"
	"testing"

	"github.com/gpubench/gpubench/compute"
)

// TestWriteRefusesUnknownFormat: a format Write does not know is a usage
// error and writes nothing, rather than a table in its place.
func TestWriteRefusesUnknownFormat(t *testing.T) {
	var b strings.Builder
	err := Write(&b, sampleReport(), Format("xml"))
	if !errors.Is(err, compute.ErrUsage) || !strings.Contains(err.Error(), `"xml"`) || b.Len() != 0 {
		t.Errorf("Write as xml: %v, wrote %q; want a usage error naming xml and nothing written", err, b.String())
	}
	for _, f := range Formats() {
		b.Reset()
		if err := Write(&b, sampleReport(), f); err != nil || b.Len() == 0 {
			t.Errorf("Write as %s: %v, %d bytes", f, err, b.Len())
		}
	}
}

// TestParseFormat: every format's name parses back to it, and nothing
// else parses.
func TestParseFormat(t *testing.T) {
	for _, f := range Formats() {
		if got, err := ParseFormat(f.String()); err != nil || got != f {
			t.Errorf("ParseFormat(%q) = %q, %v", f, got, err)
		}
	}
	for _, s := range []string{"", "xml", "JSON", "table "} {
		if _, err := ParseFormat(s); !errors.Is(err, compute.ErrUsage) {
			t.Errorf("ParseFormat(%q): %v, want a usage error", s, err)
		}
	}
}
