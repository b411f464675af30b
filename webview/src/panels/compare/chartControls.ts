// The Charts tab's controls: which metrics to chart, the x axis, smoothing, log scale and
// "ignore outliers". Each change updates the view state, saves it and redraws.
import type { XAxisMode } from '../../../../src/protocol/compare';
import { metricKeys } from './chartData';
import { el } from './dom';
import type { PageContext } from './pageContext';
import { checkbox, dropdown } from './toolkit';

export interface ChartControlEvents {
  /** Metrics chosen or dropped: cards come and go. */
  metricsChanged(): void;
  /** Axis, smoothing, scale: the same data drawn again. */
  viewChanged(): void;
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
  );
}
