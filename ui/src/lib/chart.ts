// Chart.js with only the parts the app's charts use, so the rest is left out of the bundle:
// lines for the workload chart, bars on a category axis for the statistics.
// Loaded on demand (import('./chart')) the first time a chart is drawn.
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  Legend,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
} from 'chart.js';

Chart.register(LineController, LineElement, PointElement, BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export { Chart };
