// A runs/search filter that selects runs by id: `attributes.run_id IN ('a', 'b')`, which MLflow
// 2.x and 3.x servers accept (SearchUtils: "Only the 'run_id' attribute supports comparison with a
// list of quoted string values"). One request then answers for every running run of a server.

/** MLflow quotes with single quotes; a quote inside is escaped with a backslash. */
function quoted(value: string): string {
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}

export function runIdsFilter(runIds: readonly string[]): string {
  if (runIds.length === 0) throw new Error('runIdsFilter needs at least one run id');
  return `attributes.run_id IN (${runIds.map(quoted).join(', ')})`;
}
