/**
 * A backend in its own process that starts a backup and prints its progress, for the test that
 * kills it mid-backup (SIGKILL: no undo runs, as when the app is killed or the machine dies).
 * argv: <vm uuid> <pool>. Prints `home <dir>`, `progress <json>` lines, then `finished`/`failed`.
 */
import { connectOverSsh, startHarness } from '../../../../e2e/support/backend-harness';
import { testHost } from '../../../../e2e/support/test-host';

async function main(): Promise<void> {
  const [uuid, pool] = process.argv.slice(2) as [string, string];
  const h = await startHarness();
  console.log(`home ${h.home}`);
  h.answerPrompts(() => ({ accept: true }));
  const hostId = await connectOverSsh(h, testHost());
  void h.call('backups.create', { hostId, uuid, pool }).then(
    () => console.log('finished'),
    (e: Error) => console.log(`failed ${e.message}`),
  );
  setInterval(() => void h.call('backups.progress', { hostId, uuid }).then((p) => console.log(`progress ${JSON.stringify(p)}`)), 200);
}

main().catch((e: Error) => {
  console.log(`failed ${e.message}`);
  process.exit(1);
});
