// The workload chart's Chart.js configuration: reviews a day (left axis) and cards remembered at
// the end (right axis) against desired retention, the current retention marked. Kept apart from
// the component so it is testable without a canvas.
import type { ChartConfiguration, Plugin } from 'chart.js';
import type { WorkloadPoint } from './bindings';

export type ChartColors = {
  text: string;
  muted: string;
  grid: string;
  surface: string;
  reviews: string;
  memorized: string;
  current: string;
};

export type XY = { x: number; y: number };

/** The theme's colours, read from its CSS variables so the chart follows light and dark. */
export function readColors(root: Element = document.documentElement): ChartColors {
  const style = getComputedStyle(root);
  const read = (name: string, fallback: string) => style.getPropertyValue(name).trim() || fallback;
  return {
    text: read('--text', '#1c2230'),
    muted: read('--muted', '#5a6372'),
    grid: read('--border', '#dadee5'),
    surface: read('--surface', '#ffffff'),
    reviews: read('--accent', '#3563d0'),
    memorized: read('--count-review', '#2f7d4f'),
    current: read('--count-learning', '#b45309'),
  };
}

/** 0.9 → 90, without float noise (0.29 * 100 is 28.999999999999996). */
export function percent(fraction: number): number {
  return Math.round(fraction * 1000) / 10;
}

/** Draws a dashed vertical line at the current retention, labelled "now 90%". */
function currentMarker(current: number, colors: ChartColors): Plugin<'line'> {
  return {
    id: 'currentRetention',
    afterDatasetsDraw(chart) {
      const x = chart.scales.x.getPixelForValue(percent(current));
      const { top, bottom, left, right } = chart.chartArea;
      if (!(x >= left && x <= right)) return;
      const ctx = chart.ctx;
      ctx.save();
      ctx.strokeStyle = colors.current;
      ctx.fillStyle = colors.current;
      ctx.lineWidth = 2;
      ctx.setLineDash([4, 4]);
      ctx.beginPath();
      ctx.moveTo(x, top);
      ctx.lineTo(x, bottom);
      ctx.stroke();
      ctx.setLineDash([]);
      ctx.font = '600 12px system-ui, sans-serif';
      ctx.textAlign = x > right - 40 ? 'right' : 'left';
      ctx.fillText(`now ${percent(current)}%`, x + (ctx.textAlign === 'right' ? -4 : 4), top + 12);
      ctx.restore();
    },
  };
}

export function workloadChartConfig(
  points: readonly WorkloadPoint[],
  current: number,
  colors: ChartColors,
): ChartConfiguration<'line', XY[]> {
  const series = (value: (p: WorkloadPoint) => number): XY[] =>
    points.map((p) => ({ x: percent(p.desired_retention), y: value(p) }));
  const axisTitle = (text: string) => ({ display: true, text, color: colors.muted });
  const whole = new Intl.NumberFormat(undefined, { maximumFractionDigits: 0 });
  const tenth = new Intl.NumberFormat(undefined, { maximumFractionDigits: 1 });
  return {
    type: 'line',
    data: {
      datasets: [
        {
          label: 'Reviews a day',
          data: series((p) => p.reviews_per_day),
          yAxisID: 'reviews',
          borderColor: colors.reviews,
          backgroundColor: colors.reviews,
          pointRadius: 3,
          tension: 0.25,
        },
        {
          label: 'Cards remembered after a year',
          data: series((p) => p.memorized),
          yAxisID: 'memorized',
          borderColor: colors.memorized,
          backgroundColor: colors.memorized,
          borderDash: [6, 4],
          pointRadius: 3,
          tension: 0.25,
        },
      ],
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      interaction: { mode: 'index', intersect: false },
      scales: {
        x: {
          type: 'linear',
          min: 70,
          max: 99,
          title: axisTitle('Desired retention'),
          ticks: { color: colors.muted, stepSize: 5, callback: (value) => `${value}%` },
          grid: { color: colors.grid },
        },
        reviews: {
          type: 'linear',
          position: 'left',
          beginAtZero: true,
          title: axisTitle('Reviews a day'),
          ticks: { color: colors.muted },
          grid: { color: colors.grid },
        },
        memorized: {
          type: 'linear',
          position: 'right',
          beginAtZero: true,
          title: axisTitle('Cards remembered'),
          ticks: { color: colors.muted },
          // One grid is enough: the left axis draws it.
          grid: { drawOnChartArea: false, color: colors.grid },
        },
      },
      plugins: {
        legend: { labels: { color: colors.text } },
        tooltip: {
          enabled: true,
          backgroundColor: colors.surface,
          titleColor: colors.text,
          bodyColor: colors.text,
          borderColor: colors.grid,
          borderWidth: 1,
          callbacks: {
            title: (items) => (items.length ? `Desired retention ${items[0].parsed.x}%` : ''),
            label: (item) => {
              const y = item.parsed.y ?? 0;
              return `${item.dataset.label}: ${item.datasetIndex === 0 ? tenth.format(y) : whole.format(y)}`;
            },
          },
        },
      },
    },
    plugins: [currentMarker(current, colors)],
  };
}
