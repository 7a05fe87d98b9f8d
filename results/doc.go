// Package results is what a run leaves behind: the results file's types
// (Report, one Result per kernel's case with its compute.Kernel and
// Shape, one TransferCase per copy or latency, and the rooflines,
// crossovers and scaling sweeps that some commands add), reading (LoadReport,
// ReadReport) and comparing (Compare) such files, writing them
// atomically, the last run and roofline kept for later commands, and the
// .npy dumps of a case's operands.
//
// A Report carries a SchemaVersion; a change a reader would notice bumps
// it. Floats that need not be finite (an error bound of +Inf, an error
// of NaN) travel as the strings "+Inf", "-Inf" and "NaN". A Result also
// knows what its figures mean: its share of the bound that limits it
// (SetPeak: the FLOP peak, or the memory bandwidth for a case bound by
// memory) and whether its rate is physically possible (CheckPhysics).
package results
