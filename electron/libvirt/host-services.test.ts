import { describe, expect, it } from 'vitest';
import type { EventName } from '../../shared/contract';
import { EventBus } from '../core/event-bus';
import { SettingsStore } from '../core/settings';
import { ViewerPresence } from '../core/viewers';
import type { HostConnection } from '../hosts/host-connection';
import { HostServices } from './host-services';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A host whose commands answer after `delayMs` with empty output, or fail while `failing` holds. */
function fakeHost(opts: { delayMs?: number; failing?: () => boolean } = {}) {
  const ran: string[] = [];
  const host = {
    id: 'h1',
    uri: { driver: 'qemu' },
    run: async (argv: readonly string[]) => {
      ran.push(argv.join(' '));
      await sleep(opts.delayMs ?? 0);
      if (argv[1] === 'domstats' && argv.includes('--list-active') && opts.failing?.()) throw new Error('virsh domstats: connection reset');
      return { code: 0, stdout: argv[1] === 'nodeinfo' ? 'CPU(s):              4\n' : '', stderr: '' };
    },
  };
  return { host: host as unknown as HostConnection, ticksAsked: () => ran.filter((c) => c.includes('--list-active')).length };
}

function events(bus: EventBus) {
  const seen: Array<{ name: EventName; payload: unknown }> = [];
  bus.on((name, payload) => seen.push({ name, payload }));
  return seen;
}

describe('the services of a connected host', () => {
  it('never start polling once stopped, even when the first list arrives after the stop', async () => {
    const { host, ticksAsked } = fakeHost({ delayMs: 100 });
    const settings = new SettingsStore();
    settings.update({ statsIntervalMs: 250 });
    const s = new HostServices(host, new EventBus(), settings, new ViewerPresence());
    const started = s.start();
    s.stop(); // the host disconnected while the first list was being fetched
    await started;
    await sleep(800);
    expect(ticksAsked()).toBe(0);
  });

  it('say why usage numbers stopped, keep trying, and say when they are back', async () => {
    let failing = true;
    const { host, ticksAsked } = fakeHost({ failing: () => failing });
    const bus = new EventBus();
    const seen = events(bus);
    const settings = new SettingsStore();
    settings.update({ statsIntervalMs: 250 });
    const s = new HostServices(host, bus, settings, new ViewerPresence());
    await s.start();
    await sleep(700);
    const problems = () => seen.filter((e) => e.name === 'stats.problem').map((e) => (e.payload as { message: string | null }).message);
    expect(problems()).toEqual([expect.stringContaining('connection reset')]); // said once, not every tick
    expect(seen.some((e) => e.name === 'stats.tick')).toBe(false);
    failing = false;
    const asked = ticksAsked();
    for (let i = 0; i < 40 && !seen.some((e) => e.name === 'stats.tick'); i++) await sleep(100);
    expect(ticksAsked()).toBeGreaterThan(asked);
    expect(seen.some((e) => e.name === 'stats.tick')).toBe(true);
    expect(problems().at(-1)).toBeNull();
    s.stop();
  });

  it('keep polling while any client looks, whatever the others report', async () => {
    const { host, ticksAsked } = fakeHost();
    const settings = new SettingsStore();
    settings.update({ statsIntervalMs: 250 });
    const viewers = new ViewerPresence();
    const s = new HostServices(host, new EventBus(), settings, viewers);
    viewers.onChange(() => s.stats.rearm());
    viewers.report('tab-a', true);
    viewers.report('tab-b', false); // a second, hidden tab reported last
    await s.start();
    await sleep(700);
    const whileOneVisible = ticksAsked();
    expect(whileOneVisible).toBeGreaterThanOrEqual(2);
    viewers.report('tab-a', false);
    await sleep(100);
    const paused = ticksAsked();
    await sleep(600);
    expect(ticksAsked()).toBe(paused); // nobody looks: nothing is polled
    viewers.gone('tab-b');
    viewers.report('tab-c', true);
    await sleep(600);
    expect(ticksAsked()).toBeGreaterThan(paused);
    s.stop();
  });
});
