// Apache ECharts, tree-shaken: only the chart types and components the panel uses are bundled
// (line, bar with custom error whiskers, scatter, parallel; canvas for the page, SVG for "Export SVG"). ECharts needs neither
// eval nor inline scripts, so it runs under the page's nonce-only CSP.
import * as echarts from 'echarts/core';
import { BarChart, CustomChart, LineChart, ParallelChart, ScatterChart } from 'echarts/charts';
import { DataZoomComponent, GridComponent, ParallelComponent, TooltipComponent } from 'echarts/components';
import { CanvasRenderer, SVGRenderer } from 'echarts/renderers';

echarts.use([BarChart, CustomChart, LineChart, ScatterChart, ParallelChart, GridComponent, TooltipComponent, DataZoomComponent, ParallelComponent, CanvasRenderer, SVGRenderer]);

export { echarts };
export type ChartOption = echarts.EChartsCoreOption;
export type Chart = echarts.EChartsType;
