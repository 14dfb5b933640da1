import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { addSelectionOptions, selectionFromOptions, type SelectionFlags } from '../../../src/cli/shared/selection-options';

function parse(args: string[]) {
  const cmd = addSelectionOptions(new Command('x').exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} }));
  cmd.parse(args, { from: 'user' });
  return selectionFromOptions(cmd.opts<SelectionFlags>());
}

describe('selection flags', () => {
  it('gives an empty selection when no flag is given', () => {
    expect(parse([])).toEqual({});
  });

  it('accepts comma lists and repeated flags alike', () => {
    expect(parse(['--devices', 'r1-a,r1-b', '--devices', 'n1-a'])).toEqual({ devices: ['r1-a', 'r1-b', 'n1-a'] });
    expect(parse(['--group', 'core', '--group', 'dc,edge'])).toEqual({ groups: ['core', 'dc', 'edge'] });
    expect(parse(['--site', 'ams1, fra1,'])).toEqual({ sites: ['ams1', 'fra1'] });
    expect(parse(['--tag', 'edge'])).toEqual({ tags: ['edge'] });
  });

  it('passes the filter expression through untouched', () => {
    expect(parse(['--filter', 'site == "ams1" and not tag == lab', '--site', 'ams1'])).toEqual({
      sites: ['ams1'],
      filter: 'site == "ams1" and not tag == lab',
    });
  });

  it('documents every flag in --help', () => {
    const help = addSelectionOptions(new Command('x')).helpInformation();
    for (const flag of ['--devices <names>', '--group <names>', '--site <names>', '--tag <names>', '--filter <expr>']) expect(help).toContain(flag);
  });
});
