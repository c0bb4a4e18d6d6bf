/**
 * Adds the loopback SSH connection in the UI (key auth), connects, accepts the host key on
 * first sight, and returns the host id: how the specs that work over SSH begin.
 */
import { expect, type Page } from '@playwright/test';
import { sshUri, type TestHost } from './test-host';

export async function connectOverSsh(page: Page, url: string, th: TestHost, name = 'Loopback over SSH'): Promise<string> {
  await page.goto(url);
  await page.getByTestId('add-connection').click();
  await page.getByTestId('conn-name').fill(name);
  await page.getByTestId('conn-uri').fill(sshUri(th));
  await page.getByTestId('conn-auth').selectOption('key');
  await page.getByTestId('conn-keyfile').fill(th.SSH_KEY);
  await page.getByTestId('conn-save').click();
  const row = page.locator('[data-testid^="host-row-"]', { hasText: name });
  const id = (await row.getAttribute('data-testid'))!.replace('host-row-', '');
  await page.getByTestId(`host-connect-${id}`).click();
  await page.getByTestId('prompt-accept').click();
  await expect(page.getByTestId(`host-status-${id}`)).toHaveAttribute('data-state', 'connected');
  return id;
}
