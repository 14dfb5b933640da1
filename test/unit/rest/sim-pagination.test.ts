import { describe, expect, it } from 'vitest';
import { nextLink, parseLinkHeader } from '../../../src/devices/rest/link-header';
import { linkHeader, pageOf } from '../../../src/lab/dashboard/pagination';

const keys = Array.from({ length: 23 }, (_, i) => `K${String(i).padStart(3, '0')}`);
const id = (k: string) => k;

describe('simulator pagination', () => {
  it('pages after the token and says whether there is more', () => {
    expect(pageOf(keys, id, { perPage: 10, startingAfter: undefined })).toMatchObject({ lastKey: 'K009', more: true });
    expect(pageOf(keys, id, { perPage: 10, startingAfter: 'K009' }).items[0]).toBe('K010');
    expect(pageOf(keys, id, { perPage: 10, startingAfter: 'K019' })).toMatchObject({ items: ['K020', 'K021', 'K022'], more: false });
  });

  it('accepts a token that is not in the list (an item deleted between pages)', () => {
    expect(pageOf(keys, id, { perPage: 2, startingAfter: 'K0045' }).items).toEqual(['K005', 'K006']);
  });

  it('writes a Link header the client parses, keeping filters and replacing the cursor', () => {
    const url = new URL('http://127.0.0.1:1/api/v1/organizations/1/devices?networkIds[]=N_1&startingAfter=K000&perPage=10');
    const header = linkHeader(url, 10, 'K010', true);
    const next = new URL(nextLink(header) as string);
    expect(next.searchParams.get('startingAfter')).toBe('K010');
    expect(next.searchParams.getAll('networkIds[]')).toEqual(['N_1']);
    expect(parseLinkHeader(linkHeader(url, 10, 'K022', false)).has('next')).toBe(false);
  });
});
