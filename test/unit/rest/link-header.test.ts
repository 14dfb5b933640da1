import { describe, expect, it } from 'vitest';
import { nextLink, parseLinkHeader } from '../../../src/devices/rest/link-header';

describe('parseLinkHeader', () => {
  it('reads first and next from a dashboard-style header', () => {
    const h =
      '<https://api.example.com/api/v1/organizations/1/devices?perPage=50>; rel=first, <https://api.example.com/api/v1/organizations/1/devices?perPage=50&startingAfter=Q2AB-CDEF-GHJK>; rel=next';
    const links = parseLinkHeader(h);
    expect(links.get('first')).toBe('https://api.example.com/api/v1/organizations/1/devices?perPage=50');
    expect(links.get('next')).toBe('https://api.example.com/api/v1/organizations/1/devices?perPage=50&startingAfter=Q2AB-CDEF-GHJK');
  });

  it('accepts quoted rels, several rels in one entry, extra params and odd spacing', () => {
    const h = '<https://x/a?b=1,2>;title="p; q";rel="prev first" ,  <https://x/n?c=3;d=4> ;  REL = next';
    const links = parseLinkHeader(h);
    expect(links.get('prev')).toBe('https://x/a?b=1,2');
    expect(links.get('first')).toBe('https://x/a?b=1,2');
    expect(links.get('next')).toBe('https://x/n?c=3;d=4');
  });

  it('joins repeated headers', () => {
    expect(nextLink(['<https://x/1>; rel=first', '<https://x/2>; rel=next'])).toBe('https://x/2');
  });

  it('gives no next on the last page or without a header', () => {
    expect(nextLink('<https://x/1>; rel=first, <https://x/0>; rel=prev')).toBeUndefined();
    expect(nextLink(undefined)).toBeUndefined();
    expect(nextLink('')).toBeUndefined();
    expect(nextLink('garbage; rel=next')).toBeUndefined();
  });
});
