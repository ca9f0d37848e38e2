import { ConfigError } from '@funnelcast/core';
import { describe, expect, it } from 'vitest';
import { columnName, configuredTablePath, tablePath } from './sql-names.js';

describe('BigQuery names', () => {
  it('completes a configured table with the target project and dataset', () => {
    expect(configuredTablePath('leads', 'my-project', 'fc', 'leads.table')).toBe('`my-project.fc.leads`');
    expect(configuredTablePath('crm.leads', 'my-project', 'fc', 'leads.table')).toBe('`my-project.crm.leads`');
    expect(configuredTablePath('other-proj.crm.leads', 'my-project', 'fc', 'leads.table')).toBe('`other-proj.crm.leads`');
  });

  it('refuses anything that could leave the backquotes, naming the config key', () => {
    for (const name of ['a.b.c.d', 'leads`', 'crm.leads; DROP', 'x y']) {
      const error = (() => {
        try {
          return configuredTablePath(name, 'my-project', 'fc', 'leads.table');
        } catch (e) {
          return e;
        }
      })();
      expect(error, name).toBeInstanceOf(ConfigError);
      expect((error as ConfigError).problems.every((p) => p.where === 'leads.table')).toBe(true);
    }
    expect(() => tablePath('My_Project', 'fc', 't')).toThrow(/project id/);
    expect(() => columnName('a`b')).toThrow(ConfigError);
  });
});
