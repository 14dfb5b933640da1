import { describe, expect, it } from 'vitest';
import { compileTemplate, renderForDevice, TemplateError, toConfigLines } from '../../../src/config';
import type { Device } from '../../../src/inventory/types';

function device(name: string, over: Partial<Device> = {}): Device {
  return {
    name,
    host: '127.0.0.1',
    port: 22,
    platform: 'iosxe',
    site: 'ams1',
    groups: ['core'],
    tags: ['edge'],
    credentials: { set: 'lab', username: 'admin', password: { kind: 'env', name: 'LAB_PASSWORD' } },
    hostKeyCheck: 'strict',
    data: { ntp: '10.0.0.1', vlans: [{ id: 10, name: 'users' }, { id: 20, name: 'voice' }] },
    ...over,
  };
}

const errorOf = (fn: () => unknown): Error => {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an error');
};

describe('template rendering', () => {
  it('fills device and data variables, loops, and drops blank lines', () => {
    const tpl = compileTemplate(
      [
        'hostname {{ device.name }}',
        'ntp server {{ data.ntp }}',
        '{% for v in data.vlans %}',
        'vlan {{ v.id }}',
        ' name {{ v.name }}-{{ device.site }}',
        '{% endfor %}',
        '{% if device.platform == "nxos" %}feature hsrp{% endif %}',
      ].join('\n'),
      'base.liquid',
    );
    expect(renderForDevice(tpl, device('r1-a'))).toEqual(['hostname r1-a', 'ntp server 10.0.0.1', 'vlan 10', ' name users-ams1', 'vlan 20', ' name voice-ams1']);
    expect(renderForDevice(tpl, device('n1', { platform: 'nxos', data: { ntp: '10.0.0.9', vlans: [] } }))).toEqual(['hostname n1', 'ntp server 10.0.0.9', 'feature hsrp']);
    expect(tpl.variables).toEqual(expect.arrayContaining(['device.name', 'data.ntp', 'data.vlans']));
  });

  it('a variable one device lacks is an error naming the file, the device and the variable', () => {
    const tpl = compileTemplate('interface Loopback0\n description {{ data.role }}', 'desc.liquid');
    expect(renderForDevice(tpl, device('r1-a', { data: { role: 'core' } }))).toEqual(['interface Loopback0', ' description core']);
    const err = errorOf(() => renderForDevice(tpl, device('r2-b', { data: {} })));
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.message).toMatch(/^desc\.liquid: r2-b: undefined variable: data\.role/);
    expect(err.message).not.toContain('\n');
  });

  it('an unknown top-level name is refused before any device is rendered', () => {
    const err = errorOf(() => compileTemplate('hostname {{ hostname }}', 't.liquid'));
    expect(err.message).toBe('t.liquid: unknown variable "hostname" (templates can use device.* and data.*)');
  });

  it.each([
    ['{{ credentials.password }}', 'credentials.password'],
    ['username admin secret {{ data.enable_secret }}', 'data.enable_secret'],
    ['snmp-server community {{ data.snmp.community_password }}', 'data.snmp.community_password'],
    ['{{ device.credentials.username }}', 'device.credentials.username'],
  ])('refuses a template that references credentials: %s', (text, path) => {
    const err = errorOf(() => compileTemplate(text, 'bad.liquid'));
    expect(err).toBeInstanceOf(TemplateError);
    expect(err.message).toContain(`references "${path}"`);
    expect(err.message).toMatch(/may not use credentials or secrets/);
  });

  it('a syntax error is one line with the position', () => {
    const err = errorOf(() => compileTemplate('interface X\n{% if device.name %}\n shutdown', 'broken.liquid'));
    expect(err.message).toMatch(/^broken\.liquid: template syntax error: .*not closed, line:2/);
    expect(err.message).not.toContain('\n');
  });

  it('an unknown filter is refused rather than passed through', () => {
    expect(errorOf(() => compileTemplate('{{ device.name | shout }}', 'f.liquid')).message).toMatch(/undefined filter: shout/);
  });

  it('cannot include other files', () => {
    expect(errorOf(() => compileTemplate('{% include "secrets.liquid" %}', 'inc.liquid')).message).toBe('inc.liquid: templates cannot include other files (include, render, layout)');
  });

  it('the device object holds no credentials even when asked by a safe-looking name', () => {
    const tpl = compileTemplate('{{ device.username }}', 'u.liquid');
    expect(errorOf(() => renderForDevice(tpl, device('r1-a'))).message).toMatch(/undefined variable: device\.username/);
  });
});

describe('toConfigLines', () => {
  it('keeps indentation, trims trailing blanks, drops empty lines and CRs', () => {
    expect(toConfigLines('interface X  \r\n\r\n description y\t\n\n')).toEqual(['interface X', ' description y']);
  });
});
