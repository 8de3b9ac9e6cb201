import { vitePreprocess } from '@sveltejs/vite-plugin-svelte';

/** Svelte compiler options shared by Vite, Vitest and svelte-check. */
export default {
  preprocess: vitePreprocess(),
  compilerOptions: { runes: true },
};
