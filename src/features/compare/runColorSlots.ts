// Which palette slot each run of a panel gets. Pure (no vscode) so it is tested in plain Node.
// A run keeps its slot while it stays in the panel, so adding or removing another run never
// recolours the lines a user has already learned; a new run takes the lowest free slot.

/**
 * Contributed theme colours `mlwf.compareRun1` … `mlwf.compareRun10` (package.json). One dot
 * only: webviews get `--vscode-<id>` with just the first dot turned into a dash.
 */
export const RUN_PALETTE_SIZE = 10;

export function assignColorSlots(runIds: readonly string[], previous: ReadonlyMap<string, number> = new Map()): Map<string, number> {
  const slots = new Map<string, number>();
  const used = new Set<number>();
  for (const id of runIds) {
    const slot = previous.get(id);
    // A slot past the palette means the palette has wrapped: keep it, it is still stable.
    if (slot !== undefined && !slots.has(id)) {
      slots.set(id, slot);
      used.add(slot);
    }
  }
  let next = 0;
  for (const id of runIds) {
    if (slots.has(id)) continue;
    while (used.has(next)) next++;
    slots.set(id, next);
    used.add(next);
  }
  return slots;
}

/** The theme colour id of a slot; beyond the palette colours repeat (ten lines is already many). */
export function colorIdOfSlot(slot: number): string {
  return `mlwf.compareRun${(slot % RUN_PALETTE_SIZE) + 1}`;
}
