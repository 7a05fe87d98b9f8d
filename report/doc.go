// Package report turns results into what a person or a tool reads: the
// results table, CSV, JSON and the Go benchmark format (Write), the
// ratio table of our kernels against a peer's, comparisons of results
// files, the machine's description, roofline, scaling, transfer and
// crossover tables, and plots (SVG with their fonts embedded, or PNG).
// It reads results and writes; it measures nothing.
package report
