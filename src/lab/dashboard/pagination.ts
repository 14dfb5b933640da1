/** Pagination in the dashboard's style: `perPage` + `startingAfter` tokens, next page in a `Link` header. */
export interface PageRequest {
  perPage: number;
  startingAfter: string | undefined;
}

export function pageOf<T>(sorted: readonly T[], keyOf: (item: T) => string, req: PageRequest): { items: T[]; lastKey: string | undefined; more: boolean } {
  let from = 0;
  if (req.startingAfter !== undefined) {
    // Binary search for the first key after the token; the list is sorted by key.
    let lo = 0;
    let hi = sorted.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (keyOf(sorted[mid] as T) <= req.startingAfter) lo = mid + 1;
      else hi = mid;
    }
    from = lo;
  }
  const items = sorted.slice(from, from + req.perPage);
  const last = items[items.length - 1];
  return { items, lastKey: last === undefined ? undefined : keyOf(last), more: from + req.perPage < sorted.length };
}

/** The Link header for a page: always `first`, `next` when there is more. */
export function linkHeader(url: URL, perPage: number, lastKey: string | undefined, more: boolean): string {
  const link = (rel: string, startingAfter: string | undefined) => {
    const u = new URL(url.href);
    u.searchParams.set('perPage', String(perPage));
    u.searchParams.delete('startingAfter');
    u.searchParams.delete('endingBefore');
    if (startingAfter !== undefined) u.searchParams.set('startingAfter', startingAfter);
    return `<${u.href}>; rel=${rel}`;
  };
  const parts = [link('first', undefined)];
  if (more && lastKey !== undefined) parts.push(link('next', lastKey));
  return parts.join(', ');
}
