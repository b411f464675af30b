// The Charts tab's controls: which metrics to chart, the x axis, smoothing, log scale and
// "ignore outliers". Each change updates the view state, saves it and redraws.
import type { CompareGroupBy, GroupBand, XAxisMode } from '../../../../src/protocol/compare';
import { metricKeys, paramKeys } from './chartData';
import { el, format } from './dom';
import type { PageContext } from './pageContext';
import { toSavedView } from './viewState';
import { button, checkbox, dropdown } from './toolkit';

export interface ChartControlEvents {
  /** Metrics chosen or dropped: cards come and go. */
  metricsChanged(): void;
  /** Axis, smoothing, scale: the same data drawn again. */
  viewChanged(): void;
  /** Grouping or its band changed: charts and the table draw again. */
  groupingChanged(): void;
}

// Not '': the toolkit's dropdown takes an option with an empty value for its text, and then shows
// "No grouping" whatever is chosen.
const NO_GROUPING = 'none';
const groupChoiceValue = (g: CompareGroupBy | null | undefined) => (g ? `${g.kind}:${g.key}` : NO_GROUPING);

/** The group-by choices: every param key, then every tag key, of the runs. */
function groupChoices(ctx: PageContext): Array<{ value: string; label: string }> {
  const s = ctx.strings;
  const tags = [...new Set(ctx.runs.flatMap((r) => r.tags.map((t) => t.key)))];
  return [
    { value: NO_GROUPING, label: s.groupNone },
    ...paramKeys(ctx.runs).map((k) => ({ value: `param:${k}`, label: format(s.groupParam, k) })),
    ...tags.map((k) => ({ value: `tag:${k}`, label: format(s.groupTag, k) })),
  ];
}

export function chartControls(ctx: PageContext, events: ChartControlEvents): HTMLElement {
  const s = ctx.strings;
  const state = ctx.state;
  const changed = (then: () => void) => {
    ctx.saveState();
    then();
  };
  const metricBoxes = metricKeys(ctx.runs).map((key) =>
    checkbox(
      key,
      state.chosenMetrics.includes(key),
      (on) => {
        state.chosenMetrics = on ? [...state.chosenMetrics.filter((k) => k !== key), key] : state.chosenMetrics.filter((k) => k !== key);
        changed(events.metricsChanged);
      },
      `metric:${key}`,
    ),
  );
  const xAxis = dropdown(
    [
      { value: 'step', label: s.xStep },
      { value: 'wallTime', label: s.xWallTime },
      { value: 'relativeTime', label: s.xRelativeTime },
    ],
    state.xAxis,
    (value) => {
      state.xAxis = value as XAxisMode;
      changed(events.viewChanged);
    },
    s.xAxis,
    'x-axis',
  );
  // The toolkit has no slider; a native range input styled with the theme's variables.
  const slider = el('input', { className: 'slider', attrs: { type: 'range', min: '0', max: '0.99', step: '0.01', 'aria-label': s.smoothing } });
  slider.value = String(state.smoothing);
  const sliderValue = el('output', { text: state.smoothing.toFixed(2) });
  // Redraw at most once a frame while the slider is dragged (every chart re-smooths its lines).
  let frame = 0;
  slider.addEventListener('input', () => {
    state.smoothing = Number(slider.value);
    sliderValue.textContent = state.smoothing.toFixed(2);
    if (frame) return;
    frame = requestAnimationFrame(() => {
      frame = 0;
      changed(events.viewChanged);
    });
  });
  const choices = groupChoices(ctx);
  const current = groupChoiceValue(state.groupBy);
  // A saved view's grouping the runs do not have stays chosen (and groups every run as "not set").
  if (!choices.some((c) => c.value === current)) choices.push({ value: current, label: format(state.groupBy!.kind === 'param' ? s.groupParam : s.groupTag, state.groupBy!.key) });
  const groupBy = dropdown(
    choices,
    current,
    (value) => {
      const at = value.indexOf(':');
      state.groupBy = value !== NO_GROUPING && at > 0 ? { kind: value.slice(0, at) === 'tag' ? 'tag' : 'param', key: value.slice(at + 1) } : null;
      changed(events.groupingChanged);
    },
    s.groupBy,
    'group-by',
  );
  const band = dropdown(
    [
      { value: 'std', label: s.bandStd },
      { value: 'minMax', label: s.bandMinMax },
    ],
    state.band ?? 'std',
    (value) => {
      state.band = value as GroupBand;
      changed(events.groupingChanged);
    },
    s.band,
    'band',
  );
  return el(
    'div',
    { className: 'controls' },
    el('fieldset', { className: 'metric-choice' }, el('legend', { text: s.metrics }), ...metricBoxes),
    el(
      'div',
      { className: 'control-row' },
      xAxis,
      el('label', { className: 'field' }, el('span', { text: s.smoothing }), slider, sliderValue),
      checkbox(s.logScale, state.logScale, (on) => {
        state.logScale = on;
        changed(events.viewChanged);
      }, 'log-scale'),
      checkbox(s.ignoreOutliers, state.ignoreOutliers, (on) => {
        state.ignoreOutliers = on;
        changed(events.viewChanged);
      }, 'ignore-outliers'),
    ),
    el(
      'div',
      { className: 'control-row' },
      groupBy,
      band,
      button(s.saveView, () => ctx.post({ type: 'saveView', view: toSavedView(ctx.state) }), { name: 'save-view' }),
      button(s.applyView, () => ctx.post({ type: 'chooseView' }), { name: 'apply-view' }),
    ),
  );
}
