import { Command } from 'commander';
import { describe, expect, it } from 'vitest';
import { COMMAND_FAMILIES, registerCommands, registerEveryCommand, requestedCommand } from '../../../src/cli/commands';

const argv = (...words: string[]) => ['node', 'netops', ...words];

async function programFor(...words: string[]): Promise<Command> {
  const program = new Command('netops');
  await registerCommands(program, argv(...words));
  return program;
}

const names = (cmd: Command | undefined) => (cmd?.commands ?? []).map((c) => c.name()).sort();

describe('the command table', () => {
  it('lists every family with the description its own module registers, and nothing else', async () => {
    const everything = new Command('netops');
    await registerEveryCommand(everything);
    const registered = Object.fromEntries(everything.commands.map((c) => [c.name(), c.description()]));
    const listed = Object.fromEntries(COMMAND_FAMILIES.map((f) => [f.name, f.description]));
    expect(listed).toEqual(registered);
  }, 60_000);

  it('gives every sub-command of a family to exactly the module that registers it', async () => {
    for (const family of COMMAND_FAMILIES.filter((f) => f.modules.length > 1)) {
      for (const m of family.modules.filter((mod) => mod.subcommands)) {
        const program = new Command('netops');
        (await m.load()).register(program);
        expect(names(program.commands.find((c) => c.name() === family.name))).toEqual([...m.subcommands!].sort());
      }
    }
  }, 60_000);
});

describe('registerCommands loads what the command line asks for', () => {
  it('lists every family by name for --help, no command or an unknown one', async () => {
    const all = COMMAND_FAMILIES.map((f) => f.name).sort();
    for (const words of [['--help'], [], ['rolout', 'list'], ['-V']]) {
      const program = await programFor(...words);
      expect(names(program), words.join(' ')).toEqual(all);
      expect(program.commands.every((c) => c.commands.length === 0 && c.options.length === 0)).toBe(true);
    }
  });

  it('loads only the rollout module that owns the sub-command', async () => {
    const list = (await programFor('rollout', 'list', '--address', '127.0.0.1:7999')).commands;
    expect(list.map((c) => c.name())).toEqual(['rollout']);
    expect(names(list[0])).toEqual(expect.arrayContaining(['list', 'status', 'watch', 'approve', 'retry', 'skip']));
    expect(names(list[0])).not.toContain('plan');
    expect(names(list[0])).not.toContain('start');
    expect(names((await programFor('rollout', 'plan', '--inventory', 'x.yaml')).commands[0])).toEqual(['plan']);
    expect(names((await programFor('rollout', 'start')).commands[0])).toEqual(['start']);
  });

  it('loads the whole family for its own help, and for `help <family>`', async () => {
    for (const words of [['rollout'], ['rollout', '--help'], ['help', 'rollout']]) {
      const rollout = (await programFor(...words)).commands.find((c) => c.name() === 'rollout');
      expect(names(rollout), words.join(' ')).toEqual(expect.arrayContaining(['plan', 'start', 'list', 'status', 'watch']));
    }
  });
});

describe('requestedCommand', () => {
  it.each([
    [['rollout', 'status', 'second', '--json'], ['rollout', 'status']],
    [['--help'], [undefined, undefined]],
    [['inventory', 'validate', 'inv.yaml'], ['inventory', 'validate']],
    [['help', 'collect', 'run'], ['collect', 'run']],
    [['help'], [undefined, undefined]],
    [['dev', '--port', '7300'], ['dev', '7300']],
    [['-V'], [undefined, undefined]],
  ])('%j -> %j', (words, expected) => {
    expect(requestedCommand(argv(...words))).toEqual(expected);
  });
});
