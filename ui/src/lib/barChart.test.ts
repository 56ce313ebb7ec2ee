import { describe, expect, it } from 'vitest';
import { barChartConfig, type BarChartSpec, type Palette } from './barChart';
import { Chart } from './chart';

const PALETTE: Palette = {
  text: '#111',
  muted: '#555',
  grid: '#ddd',
  surface: '#fff',
  reviews: '#00f',
  memorized: '#0a0',
  current: '#f80',
  series: (name) => ({ '--accent': '#36c', '--again-fg': '#c00', '--good-fg': '#0c0' })[name] ?? '#999',
};

const FORECAST: BarChartSpec = {
  labels: ['Today', '26 Nov', '27 Nov'],
  series: [{ label: 'Cards due', data: [12, 3, 0], color: '--accent' }],
  valueTitle: 'Cards due',
  categoryTitle: 'Day',
  valueText: (v) => `${v} cards due`,
  titleText: (i) => ['2026-11-25', '2026-11-26', '2026-11-27'][i],
};

type Callbacks = { title: (items: unknown[]) => string; label: (item: unknown) => string };

describe('the bar charts', () => {
  it('draws a series on a category axis in the theme colour, with its tooltip words', () => {
    const config = barChartConfig(FORECAST, PALETTE);
    expect(config.data.labels).toEqual(['Today', '26 Nov', '27 Nov']);
    expect(config.data.datasets).toHaveLength(1);
    expect(config.data.datasets[0]).toMatchObject({ label: 'Cards due', data: [12, 3, 0], backgroundColor: '#36c' });
    expect(config.options?.scales?.x).toMatchObject({ type: 'category' });
    expect(config.options?.scales?.y).toMatchObject({ type: 'linear', beginAtZero: true });
    expect(config.options?.plugins?.legend?.display).toBe(false);
    const tooltip = config.options?.plugins?.tooltip;
    expect(tooltip).toMatchObject({ enabled: true, backgroundColor: '#fff', bodyColor: '#111' });
    const callbacks = tooltip?.callbacks as unknown as Callbacks;
    expect(callbacks.title([{ dataIndex: 1 }])).toBe('2026-11-26');
    expect(callbacks.label({ raw: 3, datasetIndex: 0, dataIndex: 1, dataset: { label: 'Cards due' } })).toBe('3 cards due');
  });

  it('stacks series across for the answer buttons, with a legend and percent ticks', () => {
    const config = barChartConfig(
      {
        labels: ['Learning', 'Young'],
        series: [
          { label: 'Again', data: [20, 10], color: '--again-fg' },
          { label: 'Good', data: [80, 90], color: '--good-fg' },
        ],
        stacked: true,
        horizontal: true,
        max: 100,
        valueTitle: 'Share of answers',
        tick: (v) => `${v}%`,
      },
      PALETTE,
    );
    expect(config.options?.indexAxis).toBe('y');
    expect(config.options?.scales?.x).toMatchObject({ type: 'linear', stacked: true, max: 100 });
    expect(config.options?.scales?.y).toMatchObject({ type: 'category', stacked: true });
    expect(config.data.datasets.map((d) => d.backgroundColor)).toEqual(['#c00', '#0c0']);
    expect(config.options?.plugins?.legend?.display).toBe(true);
    const callbacks = config.options?.plugins?.tooltip?.callbacks as unknown as Callbacks;
    expect(callbacks.label({ raw: 20, datasetIndex: 0, dataIndex: 0, dataset: { label: 'Again' } })).toBe('Again: 20');
  });
});

/** A canvas whose 2D context records the text drawn and answers everything else with nothing. */
function recordingCanvas(): { canvas: HTMLCanvasElement; texts: string[] } {
  const texts: string[] = [];
  const canvas = document.createElement('canvas');
  const state: Record<string | symbol, unknown> = { canvas };
  const ctx = new Proxy(state, {
    get: (target, name) => {
      if (name in target) return target[name];
      if (name === 'measureText') return (text: string) => ({ width: text.length * 6 });
      if (name === 'fillText') return (text: string) => texts.push(text);
      return () => undefined;
    },
    set: (target, name, value) => {
      target[name] = value;
      return true;
    },
  });
  canvas.getContext = (() => ctx) as unknown as typeof canvas.getContext;
  document.body.append(canvas);
  return { canvas, texts };
}

describe('the bar charts in Chart.js', () => {
  it('draw with only the components registered: bars on a category axis', () => {
    const { canvas, texts } = recordingCanvas();
    const config = barChartConfig(FORECAST, PALETTE);
    config.options = { ...config.options, responsive: false };
    const chart = new Chart(canvas, config);
    try {
      expect(Object.keys(chart.scales)).toEqual(['x', 'y']);
      expect(chart.scales.x.type).toBe('category');
      expect(chart.getDatasetMeta(0).type).toBe('bar');
      expect(texts).toEqual(expect.arrayContaining(['Today', 'Cards due', 'Day']));
    } finally {
      chart.destroy();
      canvas.remove();
    }
  });
});
