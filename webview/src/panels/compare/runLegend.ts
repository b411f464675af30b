// The panel's one legend: a chip per run in its colour. Click hides or shows the run in every
// chart; hover highlights it; × removes it from the comparison; "Add Runs…" asks the host.
import { el } from './dom';
import type { PageContext } from './pageContext';
import { button } from './toolkit';

export function runLegend(ctx: PageContext, onVisibilityChanged: () => void): HTMLElement {
  const s = ctx.strings;
  const chips = ctx.runs.map((run) => {
    const swatch = el('span', { className: 'swatch' });
    swatch.style.backgroundColor = ctx.colorOf(run.runId);
    const hidden = ctx.state.hiddenRuns.includes(run.runId);
    const toggle = el('button', { className: 'chip-toggle', title: s.hideRunTitle, attrs: { 'aria-pressed': String(!hidden), 'data-run-id': run.runId } }, swatch, el('span', { className: 'run-name', text: run.name }));
    toggle.addEventListener('click', () => {
      const state = ctx.state;
      state.hiddenRuns = state.hiddenRuns.includes(run.runId) ? state.hiddenRuns.filter((id) => id !== run.runId) : [...state.hiddenRuns, run.runId];
      toggle.setAttribute('aria-pressed', String(!state.hiddenRuns.includes(run.runId)));
      chip.classList.toggle('hidden-run', state.hiddenRuns.includes(run.runId));
      ctx.saveState();
      onVisibilityChanged();
    });
    toggle.addEventListener('mouseenter', () => ctx.setHighlight(run.runId));
    toggle.addEventListener('mouseleave', () => ctx.setHighlight(undefined));
    toggle.addEventListener('focus', () => ctx.setHighlight(run.runId));
    toggle.addEventListener('blur', () => ctx.setHighlight(undefined));
    const remove = el('button', { className: 'chip-remove', text: '×', title: s.removeRun, attrs: { 'aria-label': `${s.removeRun}: ${run.name}` } });
    remove.addEventListener('click', () => ctx.post({ type: 'removeRun', runId: run.runId }));
    const chip = el('div', { className: hidden ? 'chip hidden-run' : 'chip' }, toggle, remove);
    return chip;
  });
  return el('div', { className: 'legend', attrs: { role: 'group', 'aria-label': s.runsLabel } }, ...chips, button(s.addRuns, () => ctx.post({ type: 'addRuns' }), { name: 'add-runs' }));
}
