/**
 * V8 heap limits for every process that runs the core (the app's core process, the `dossier`
 * command, the benchmarks' sync process). A sync streams its documents, so its live heap stays
 * around 50 MB; without limits V8 lets garbage grow the heap to several times that before
 * collecting (a season's sync reached 500 MB of resident memory). A small young generation and a
 * bounded old one keep the process near 300 MB, well above what the core ever holds live.
 * bin/dossier.js repeats these in its `#!` line (a test keeps the two equal).
 */
export const coreHeapFlags: readonly string[] = ['--max-old-space-size=192', '--max-semi-space-size=4'];
