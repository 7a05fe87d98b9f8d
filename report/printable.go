package report

import (
	"fmt"
	"io"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Printable is s with every character a terminal would act on rather
// than show written as Go writes it in a quoted string: an escape
// sequence's ESC as \x1b, a bell as \a, a tab as \t, a byte that is not
// UTF-8 as \xff, a bidirectional override as \u202e. s comes back as it
// is where it holds none, which is every name gpubench makes itself;
// only a name read from a file (a results file, a driver's renderer
// string) can hold one, and it is then shown, not obeyed.
func Printable(s string) string {
	if isPrintable(s, false) {
		return s
	}
	return escape(s, false)
}

// isPrintable reports whether s holds nothing Printable would change;
// with lines, a newline that ends a line of s's own is let through
// (lineEnd).
func isPrintable(s string, lines bool) bool {
	for i, r := range s {
		if !keep(r, lines && lineEnd(s, i)) || r == utf8.RuneError && !isRuneError(s[i:]) {
			return false
		}
	}
	return true
}

// keep reports whether r is shown as it is: a printable character or a
// space (strconv.IsPrint), or with newline a newline.
func keep(r rune, newline bool) bool {
	return r == ' ' || newline && r == '\n' || strconv.IsPrint(r)
}

// lineEnd reports whether a newline at s[i] ends one of the lines a
// printableWriter is given: it ends s, starts it, or stands beside
// another newline (a blank line). A newline within a line of text, as a
// name read from a file may hold, is escaped: it cannot start a line of
// its own that looks like gpubench's (each line is one Write: fmt's
// Fprintln, Aligned's rows).
func lineEnd(s string, i int) bool {
	return i == 0 || i == len(s)-1 || s[i-1] == '\n' || s[i+1] == '\n'
}

// isRuneError reports whether s starts with U+FFFD itself rather than
// a byte that is not UTF-8.
func isRuneError(s string) bool {
	_, size := utf8.DecodeRuneInString(s)
	return size == 3
}

// escape writes s as Printable does; with lines, newlines that end a
// line stay (lineEnd).
func escape(s string, lines bool) string {
	var b strings.Builder
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			fmt.Fprintf(&b, `\x%02x`, s[i])
		case keep(r, lines && lineEnd(s, i)):
			b.WriteString(s[i : i+size])
		default:
			q := strconv.QuoteRune(r) // '\x1b', with its quotes
			b.WriteString(q[1 : len(q)-1])
		}
		i += size
	}
	return b.String()
}

// printableWriter writes what it is given with Printable's escapes,
// newlines that end a line kept: the text a table or a note prints cannot act on the
// terminal, whatever a name read from a file holds. Each Write is taken
// whole, as fmt's Fprint functions make one per call.
type printableWriter struct{ w io.Writer }

// PrintableTo is w behind a printableWriter, for text meant for a
// terminal; w itself where it is one.
func PrintableTo(w io.Writer) io.Writer {
	if _, ok := w.(printableWriter); ok {
		return w
	}
	return printableWriter{w}
}

func (p printableWriter) Write(b []byte) (int, error) {
	s := string(b)
	if isPrintable(s, true) {
		return p.w.Write(b)
	}
	if _, err := io.WriteString(p.w, escape(s, true)); err != nil {
		return 0, err
	}
	return len(b), nil
}
