import { defineConfig } from '@playwright/test';

// Debian's Chromium drives the browser-mode UI: the Electron binary cannot be downloaded here,
// and the renderer is the same bundle in both. Flags keep Chromium off the (closed) network.
export default defineConfig({
  testDir: './specs',
  outputDir: '../test-results/e2e',
  timeout: 120_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: [['list']],
  use: {
    headless: true,
    viewport: { width: 1280, height: 800 },
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
      args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
    },
    screenshot: 'only-on-failure',
    trace: 'off',
  },
});
