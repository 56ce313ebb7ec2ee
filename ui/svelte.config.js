// Shared by vite-plugin-svelte and svelte-check.
export default {
  compilerOptions: {
    // Runes everywhere: no accidental legacy-mode components.
    runes: true,
  },
};
