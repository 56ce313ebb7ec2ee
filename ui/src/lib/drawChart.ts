// Draws a Chart.js chart on a canvas, loading Chart.js on demand, in the theme's colours, drawn
// again when the theme changes between light and dark. Shared by the app's chart components.
import type { ChartConfiguration, ChartType, DefaultDataPoint } from 'chart.js';
import { THEME_EVENT } from './theme';

/** Draws `build()` on `canvas`; answers how to take the chart down. Without a 2D context (jsdom
 *  in tests, or a webview without canvas) it draws nothing: the tables beside the charts hold
 *  every number. `build` is called again on each theme change, to read the colours anew. */
export function drawChart<TType extends ChartType, TData = DefaultDataPoint<TType>, TLabel = unknown>(
  canvas: HTMLCanvasElement,
  build: () => ChartConfiguration<TType, TData, TLabel>,
): () => void {
  const ctx = canvas.getContext('2d');
  if (!ctx) return () => {};
  let chart: { destroy(): void } | null = null;
  let closed = false;
  let redraw = () => {};
  void import('./chart')
    .then(({ Chart }) => {
      if (closed) return;
      redraw = () => {
        chart?.destroy();
        chart = new Chart<TType, TData, TLabel>(ctx, build());
      };
      redraw();
      window.addEventListener(THEME_EVENT, redraw);
    })
    .catch(() => {
      // Without the chart the table still holds every number.
    });
  return () => {
    closed = true;
    window.removeEventListener(THEME_EVENT, redraw);
    chart?.destroy();
  };
}
