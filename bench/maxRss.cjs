// Preloaded into the measured CLI (`node --require bench/maxRss.cjs …`): prints the process's
// peak resident set (worker threads included) when it exits, for the export benchmark.
process.on('exit', () => process.stderr.write(`\nMAXRSS_KIB ${process.resourceUsage().maxRSS}\n`));
