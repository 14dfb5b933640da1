import { describe, expect, it } from 'vitest';
import { parseSystemMode } from '../../../src/devices/platforms';
import { problemOf, quoted } from './corpus-cases';

/**
 * `show system mode` in the shapes Cisco's GIR configuration guides print
 * (NX-OS 9000, Catalyst 9000). No public capture exists in the corpora we
 * use: this parser is proven on the documented shapes and the lab only.
 */
describe('show system mode', () => {
  it('reads NX-OS normal and maintenance', () => {
    expect(parseSystemMode('System Mode: Normal\n')).toBe('normal');
    expect(parseSystemMode('n9k-a# show system mode\nSystem Mode: Maintenance\nn9k-a# ')).toBe('maintenance');
  });
  it('reads IOS-XE maintenance with its template and timers below', () => {
    expect(parseSystemMode('System Mode: Maintenance\nCurrent Maintenance Template: default\nMaintenance Duration: 0(mins)\nFailsafe Timeout: 30(mins)\n')).toBe('maintenance');
  });
  it('refuses a mode it does not know, quoting the line', () => {
    expect(quoted(problemOf(() => parseSystemMode('System Mode: Maintenance (transitioning)\n')))).toContain('System Mode: Maintenance (transitioning)');
  });
  it('refuses output without a mode line (feature off, wrong command)', () => {
    expect(quoted(problemOf(() => parseSystemMode("% Invalid command at '^' marker.\n")))).toContain('% Invalid command');
  });
});
