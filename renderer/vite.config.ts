import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const here = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root: here,
  // Relative asset URLs: the same build is loaded from app://virtdeck/ in Electron and from the backend over HTTP.
  base: './',
  plugins: [react()],
  build: {
    outDir: fileURLToPath(new URL('../dist/renderer', import.meta.url)),
    emptyOutDir: true,
    // noVNC (added later) uses top-level await, which needs a modern target everywhere.
    target: 'esnext',
  },
  optimizeDeps: {
    // Vite 8 pre-bundles deps with rolldown; its own baseline target would reject top-level await.
    rolldownOptions: { transform: { target: 'esnext' } },
  },
});
