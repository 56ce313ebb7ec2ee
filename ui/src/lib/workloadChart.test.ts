import { describe, expect, it } from 'vitest';
import type { WorkloadPoint } from './bindings';
import { Chart } from './chart';
import { percent, workloadChartConfig, type ChartColors } from './workloadChart';

const COLORS: ChartColors = {
  text: '#111',
  muted: '#555',
  grid: '#ddd',
  surface: '#fff',
  reviews: '#00f',
  memorized: '#0a0',
  current: '#f80',
};

const POINTS: WorkloadPoint[] = [
  { desired_retention: 0.7, reviews_per_day: 12.5, minutes_per_day: 1.7, memorized: 420 },
  { desired_retention: 0.9, reviews_per_day: 30, minutes_per_day: 4, memorized: 610.4 },
  { desired_retention: 0.99, reviews_per_day: 210, minutes_per_day: 28, memorized: 700 },
];

describe('the workload chart', () => {
  it('plots reviews a day on the left axis and cards remembered on the right, against retention in %', () => {
    const config = workloadChartConfig(POINTS, 0.9, COLORS);
    const [reviews, memorized] = config.data.datasets;
    expect(reviews.data).toEqual([
      { x: 70, y: 12.5 },
      { x: 90, y: 30 },
      { x: 99, y: 210 },
    ]);
    expect(memorized.data).toEqual([
      { x: 70, y: 420 },
      { x: 90, y: 610.4 },
      { x: 99, y: 700 },
    ]);
    expect([reviews.yAxisID, memorized.yAxisID]).toEqual(['reviews', 'memorized']);
    const scales = config.options?.scales ?? {};
    expect(scales.x).toMatchObject({ type: 'linear', min: 70, max: 99 });
    expect(scales.reviews).toMatchObject({ position: 'left' });
    expect(scales.memorized).toMatchObject({ position: 'right' });
  });

  it('takes its colours from the theme and keeps tooltips on', () => {
    const config = workloadChartConfig(POINTS, 0.9, COLORS);
    expect(config.data.datasets.map((d) => d.borderColor)).toEqual(['#00f', '#0a0']);
    expect(config.options?.plugins?.legend?.labels?.color).toBe('#111');
    expect(config.options?.plugins?.tooltip).toMatchObject({ enabled: true, backgroundColor: '#fff', bodyColor: '#111' });
    expect(config.options?.scales?.x?.grid?.color).toBe('#ddd');
  });

  it('marks the current retention with a dashed line', () => {
    const config = workloadChartConfig(POINTS, 0.86, COLORS);
    const marker = config.plugins?.[0];
    expect(marker?.id).toBe('currentRetention');
    const drawn: string[] = [];
    const ctx = new Proxy(
      {},
      {
        get: (_, name: string) => (...args: unknown[]) => drawn.push(`${name}(${args.join(',')})`),
        set: (_, name: string, value) => drawn.push(`${name}=${value}`) > 0,
      },
    );
    const chart = {
      ctx,
      chartArea: { top: 10, bottom: 200, left: 40, right: 400 },
      scales: { x: { getPixelForValue: (v: number) => 40 + ((v - 70) / 29) * 360 } },
    };
    (marker?.afterDatasetsDraw as unknown as (chart: unknown) => void)(chart);
    const x = 40 + (16 / 29) * 360;
    expect(drawn).toContain(`moveTo(${x},10)`);
    expect(drawn).toContain(`lineTo(${x},200)`);
    expect(drawn).toContain('strokeStyle=#f80');
    expect(drawn.some((d) => d.startsWith('fillText(now 86%'))).toBe(true);
  });

  it('reads retention as a percentage without float noise', () => {
    expect(percent(0.29)).toBe(29);
    expect(percent(0.86)).toBe(86);
    expect(percent(0.905)).toBe(90.5);
  });
});

/** A canvas whose 2D context records the text drawn and answers everything else with nothing:
 *  enough for Chart.js to lay out and draw without a real canvas. */
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

describe('the workload chart in Chart.js', () => {
  it('draws with only the components registered: both axes, the legend and the marker', () => {
    const { canvas, texts } = recordingCanvas();
    const config = workloadChartConfig(POINTS, 0.9, COLORS);
    // jsdom has no layout to respond to.
    config.options = { ...config.options, responsive: false };
    const chart = new Chart(canvas, config);
    try {
      expect(Object.keys(chart.scales)).toEqual(['x', 'reviews', 'memorized']);
      expect(chart.scales.x.ticks.map((t) => t.value)).toEqual([70, 75, 80, 85, 90, 95, 99]);
      expect(texts).toEqual(
        expect.arrayContaining(['Reviews a day', 'Cards remembered after a year', 'Desired retention', '70%', 'now 90%']),
      );
    } finally {
      chart.destroy();
      canvas.remove();
    }
  });
});
