// The panel's one legend: a chip per run in its colour. Click hides or shows the run in every
// chart; hover highlights it; × removes it from the comparison; "Add Runs…" asks the host.
// Above LEGEND_COLLAPSE_AT runs the chips would fill the page above the charts (500 chips are
// some 40 rows), so the legend starts as one line: a disclosure button with the run count and
// how many are hidden. Opened, it has a filter box, "show / hide matching" for the filtered runs
// and the chips in a box that scrolls. The chips are built only when it opens.
import { el, format } from './dom';
import type { PageContext } from './pageContext';
import { button } from './toolkit';

/** More runs than this and the legend starts collapsed. */
export const LEGEND_COLLAPSE_AT = 20;

// The filter text lives as long as the page (the legend is rebuilt when runs change).
let filterText = '';

export function runLegend(ctx: PageContext, onVisibilityChanged: () => void): HTMLElement {
  const s = ctx.strings;
  const addRuns = button(s.addRuns, () => ctx.post({ type: 'addRuns' }), { name: 'add-runs' });
  if (ctx.runs.length <= LEGEND_COLLAPSE_AT) {
    return el('div', { className: 'legend', attrs: { role: 'group', 'aria-label': s.runsLabel } }, ...ctx.runs.map((run) => chip(ctx, run.runId, run.name, onVisibilityChanged, () => undefined)), addRuns);
  }
  return collapsibleLegend(ctx, onVisibilityChanged, addRuns);
}

function collapsibleLegend(ctx: PageContext, onVisibilityChanged: () => void, addRuns: HTMLElement): HTMLElement {
  const s = ctx.strings;
  const hiddenCount = el('span', { className: 'legend-hidden' });
  const updateHiddenCount = () => {
    const n = ctx.state.hiddenRuns.length;
    hiddenCount.textContent = n > 0 ? format(s.legendHidden, n) : '';
  };
  updateHiddenCount();
  const body = el('div', { className: 'legend-body', attrs: { id: 'legend-body', role: 'group', 'aria-label': s.runsLabel } });
  const toggle = el('button', { className: 'legend-toggle', text: format(s.legendToggle, ctx.runs.length), attrs: { 'aria-controls': 'legend-body', 'data-name': 'legend-toggle' } });
  const setOpen = (open: boolean) => {
    toggle.setAttribute('aria-expanded', String(open));
    body.hidden = !open;
    if (open && body.childElementCount === 0) fillBody(ctx, body, () => {
      updateHiddenCount();
      onVisibilityChanged();
    });
  };
  toggle.addEventListener('click', () => {
    const open = toggle.getAttribute('aria-expanded') !== 'true';
    ctx.state.legendOpen = open;
    ctx.saveState();
    setOpen(open);
  });
  setOpen(ctx.state.legendOpen === true);
  return el('div', { className: 'legend collapsible' }, el('div', { className: 'legend-head' }, toggle, hiddenCount, addRuns), body);
}

/** The opened legend: the filter, the bulk buttons and every run's chip. */
function fillBody(ctx: PageContext, body: HTMLElement, onVisibilityChanged: () => void): void {
  const s = ctx.strings;
  const chips: Array<{ element: HTMLElement; runId: string; name: string; refresh(): void }> = [];
  const filter = el('input', { className: 'legend-filter', attrs: { type: 'search', placeholder: s.legendFilter, 'aria-label': s.legendFilter, 'data-name': 'legend-filter' } });
  filter.value = filterText;
  const matches = el('span', { className: 'legend-matches', attrs: { 'aria-live': 'polite' } });
  const list = el('div', { className: 'legend-chips' });
  const matching = () => chips.filter((c) => !c.element.hidden);
  const applyFilter = () => {
    filterText = filter.value;
    const needle = filterText.trim().toLowerCase();
    for (const c of chips) c.element.hidden = needle !== '' && !c.name.toLowerCase().includes(needle);
    matches.textContent = needle === '' ? '' : format(s.legendMatches, matching().length, chips.length);
  };
  // Hides or shows every run the filter lets through, with one redraw of the charts.
  const setMatching = (hide: boolean) => {
    const ids = new Set(matching().map((c) => c.runId));
    const state = ctx.state;
    state.hiddenRuns = hide ? [...new Set([...state.hiddenRuns, ...ids])] : state.hiddenRuns.filter((id) => !ids.has(id));
    ctx.saveState();
    for (const c of chips) c.refresh();
    onVisibilityChanged();
  };
  filter.addEventListener('input', applyFilter);
  filter.addEventListener('keydown', (e) => {
    if (e.key === 'Escape' && filter.value !== '') {
      e.stopPropagation();
      filter.value = '';
      applyFilter();
    }
  });
  for (const run of ctx.runs) {
    let refresh = () => undefined as void;
    const element = chip(ctx, run.runId, run.name, onVisibilityChanged, (r) => (refresh = r));
    chips.push({ element, runId: run.runId, name: run.name, refresh: () => refresh() });
  }
  list.append(...chips.map((c) => c.element));
  body.append(
    el('div', { className: 'legend-tools' }, filter, matches, button(s.legendShowMatching, () => setMatching(false), { name: 'legend-show-matching' }), button(s.legendHideMatching, () => setMatching(true), { name: 'legend-hide-matching' })),
    list,
  );
  applyFilter();
}

/** One run's chip; `expose` receives a function that re-reads whether the run is hidden. */
function chip(ctx: PageContext, runId: string, name: string, onVisibilityChanged: () => void, expose: (refresh: () => void) => void): HTMLElement {
  const s = ctx.strings;
  const swatch = el('span', { className: 'swatch' });
  swatch.style.backgroundColor = ctx.colorOf(runId);
  const toggle = el('button', { className: 'chip-toggle', title: s.hideRunTitle, attrs: { 'data-run-id': runId } }, swatch, el('span', { className: 'run-name', text: name }));
  const remove = el('button', { className: 'chip-remove', text: '×', title: s.removeRun, attrs: { 'aria-label': `${s.removeRun}: ${name}` } });
  const element = el('div', { className: 'chip' }, toggle, remove);
  const refresh = () => {
    const hidden = ctx.state.hiddenRuns.includes(runId);
    toggle.setAttribute('aria-pressed', String(!hidden));
    element.classList.toggle('hidden-run', hidden);
  };
  refresh();
  expose(refresh);
  toggle.addEventListener('click', () => {
    const state = ctx.state;
    state.hiddenRuns = state.hiddenRuns.includes(runId) ? state.hiddenRuns.filter((id) => id !== runId) : [...state.hiddenRuns, runId];
    refresh();
    ctx.saveState();
    onVisibilityChanged();
  });
  toggle.addEventListener('mouseenter', () => ctx.setHighlight(runId));
  toggle.addEventListener('mouseleave', () => ctx.setHighlight(undefined));
  toggle.addEventListener('focus', () => ctx.setHighlight(runId));
  toggle.addEventListener('blur', () => ctx.setHighlight(undefined));
  remove.addEventListener('click', () => ctx.post({ type: 'removeRun', runId }));
  return element;
}
