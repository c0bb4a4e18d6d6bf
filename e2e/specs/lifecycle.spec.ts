import { expect, test } from '@playwright/test';
import { resetGuest, testHost } from '../support/test-host';
import { startWebApp, type WebApp } from '../support/web-app';

const th = testHost();
let app: WebApp;
test.beforeEach(async () => {
  resetGuest(th);
  app = await startWebApp(['--connect', 'qemu:///system']);
});
test.afterEach(async () => {
  await app.stop();
  resetGuest(th);
});

test('filters the list, starts the test guest and forces it off after a confirmation naming it', async ({ page }) => {
  await page.goto(app.url);
  await expect(page.getByTestId('host-status-local-system')).toHaveAttribute('data-state', 'connected');
  await expect(page.getByTestId('host-status-demo')).toHaveAttribute('data-state', 'connected');

  // The filter hides the demo host's VM and keeps the test guest.
  await expect(page.getByTestId('vm-row-test')).toBeVisible();
  await page.getByTestId('vm-filter').fill('vd-test');
  await expect(page.getByTestId('vm-row-test')).toHaveCount(0);
  const row = page.getByTestId(`vm-row-${th.GUEST_NAME}`);
  await expect(row).toBeVisible();
  await expect(page.getByTestId(`vm-state-${th.GUEST_NAME}`)).toHaveAttribute('data-state', 'shutoff');

  await row.click();
  await page.getByTestId('vm-action-start').click();
  // No reload: the state arrives by refetch/event.
  await expect(page.getByTestId(`vm-state-${th.GUEST_NAME}`)).toHaveAttribute('data-state', 'running');

  await page.getByTestId('vm-action-destroy').click();
  await expect(page.getByTestId('confirm-dialog')).toContainText(th.GUEST_NAME);
  await page.getByTestId('confirm-ok').click();
  await expect(page.getByTestId(`vm-state-${th.GUEST_NAME}`)).toHaveAttribute('data-state', 'shutoff');
});
