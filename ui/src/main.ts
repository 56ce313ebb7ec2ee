import { mount } from 'svelte';
import './app.css';
import App from './App.svelte';
import { followSystemTheme } from './lib/theme';

// Before the first paint, so a dark desktop never flashes a light page.
followSystemTheme();

const target = document.getElementById('app');
if (!target) throw new Error('index.html is missing #app');

export default mount(App, { target });
