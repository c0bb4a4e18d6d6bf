import { describe, expect, it } from 'vitest';
import { MigrationOptions } from '../../../../shared/model/migration';
import { formOptions, initialForm } from './migration-form';

describe('the Migrate dialog’s options', () => {
  it('a running VM defaults to the relayed live path, persistent; a shut-off one to the offline move', () => {
    expect(formOptions(initialForm(true))).toEqual({ path: 'relay', persistent: true, copyStorage: 'none', autoConverge: false, unsafe: false });
    expect(formOptions(initialForm(false))).toEqual({ path: 'offline', deleteSourceDisks: false });
  });
  it('numbers only when they are positive integers; the address only for the data-direct path; the result passes the contract', () => {
    const f = { ...initialForm(true), bandwidth: ' 5 ', maxDowntime: 'abc', destAddress: ' 10.0.0.2 ' };
    expect(formOptions(f)).toMatchObject({ bandwidthMiBps: 5, destAddress: '10.0.0.2' });
    expect(formOptions(f)).not.toHaveProperty('maxDowntimeMs');
    expect(formOptions({ ...f, path: 'relay-tunnelled' })).not.toHaveProperty('destAddress');
    expect(MigrationOptions.safeParse(formOptions(f)).success).toBe(true);
  });
});
