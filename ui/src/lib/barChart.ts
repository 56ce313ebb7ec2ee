// The statistics' bar charts as Chart.js configurations: bars on a category axis, one or more
// series (stacked or side by side), upright or across. Kept apart from the component so it is
// testable without a canvas.
import type { ChartConfiguration } from 'chart.js';
import { readColors, type ChartColors } from './workloadChart';

export type BarSeries = {
  label: string;
  data: readonly number[];
  /** A CSS custom property of the theme (such as `--accent`), read when the chart is drawn. */
  color: string;
};

export type BarChartSpec = {
  /** The categories: days, weeks, bins, kinds of card. */
  labels: readonly string[];
  series: readonly BarSeries[];
  /** Each category's series stacked into one bar. */
  stacked?: boolean;
  /** Bars run across, the categories down the side. */
  horizontal?: boolean;
  valueTitle: string;
  categoryTitle?: string;
  /** The value axis's end, such as 100 for percentages. */
  max?: number;
  /** A value as the axis ticks show it, such as "40%". */
  tick?: (value: number) => string;
  /** A value as its tooltip says it (after the series' name). */
  valueText?: (value: number, series: number, index: number) => string;
  /** A category as its tooltip's title says it. */
  titleText?: (index: number) => string;
};

export type Palette = ChartColors & { series: (cssVar: string) => string };

export function barChartConfig(spec: BarChartSpec, colors: Palette): ChartConfiguration<'bar', number[], string> {
  const axisTitle = (text: string | undefined) => (text ? { display: true, text, color: colors.muted } : { display: false });
  const value = {
    type: 'linear' as const,
    beginAtZero: true,
    max: spec.max,
    stacked: spec.stacked ?? false,
    title: axisTitle(spec.valueTitle),
    ticks: {
      color: colors.muted,
      precision: 0,
      callback: (v: string | number) => (spec.tick ? spec.tick(Number(v)) : v),
    },
    grid: { color: colors.grid },
  };
  const category = {
    type: 'category' as const,
    stacked: spec.stacked ?? false,
    title: axisTitle(spec.categoryTitle),
    ticks: { color: colors.muted, autoSkip: true, maxRotation: 0 },
    grid: { display: false },
  };
  const format = spec.valueText ?? ((v: number) => String(v));
  return {
    type: 'bar',
    data: {
      labels: [...spec.labels],
      datasets: spec.series.map((s) => {
        const color = colors.series(s.color);
        return { label: s.label, data: [...s.data], backgroundColor: color, borderColor: color, borderWidth: 0 };
      }),
    },
    options: {
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      indexAxis: spec.horizontal ? 'y' : 'x',
      interaction: { mode: 'index', intersect: false },
      scales: spec.horizontal ? { x: value, y: category } : { x: category, y: value },
      plugins: {
        legend: { display: spec.series.length > 1, labels: { color: colors.text } },
        tooltip: {
          enabled: true,
          backgroundColor: colors.surface,
          titleColor: colors.text,
          bodyColor: colors.text,
          borderColor: colors.grid,
          borderWidth: 1,
          callbacks: {
            title: (items) => {
              const index = items[0]?.dataIndex;
              if (index === undefined) return '';
              return spec.titleText ? spec.titleText(index) : (spec.labels[index] ?? '');
            },
            label: (item) => {
              const v = Number(item.raw ?? 0);
              const text = format(v, item.datasetIndex, item.dataIndex);
              return spec.series.length > 1 ? `${item.dataset.label}: ${text}` : text;
            },
          },
        },
      },
    },
  };
}

/** The theme's colours, and its custom properties for the series, read now. */
export function readPalette(root: Element = document.documentElement): Palette {
  const style = getComputedStyle(root);
  return { ...readColors(root), series: (name) => style.getPropertyValue(name).trim() || '#7a8597' };
}
