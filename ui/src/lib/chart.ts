// Chart.js with only the parts the workload chart uses, so the rest is left out of the bundle.
// Loaded on demand (import('./chart')) the first time a chart is drawn.
import { Chart, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Legend);

export { Chart };
