/**
 * Parses an RFC 8288 `Link` header into rel -> URL. Only what pagination
 * needs: `<url>; rel=next` entries, several per header, `rel` quoted or not
 * and possibly listing several relation types.
 */
export function parseLinkHeader(value: string | string[] | undefined): Map<string, string> {
  const links = new Map<string, string>();
  if (value === undefined) return links;
  const text = Array.isArray(value) ? value.join(', ') : value;
  // URLs may contain commas and semicolons, so find each <...> first rather than splitting.
  const entry = /<([^>]*)>((?:\s*;\s*[^;,<]+)*)/g;
  for (const match of text.matchAll(entry)) {
    const url = match[1] ?? '';
    const params = match[2] ?? '';
    for (const param of params.split(';')) {
      const [name, raw] = param.split('=', 2).map((s) => s.trim());
      if (name?.toLowerCase() !== 'rel' || raw === undefined) continue;
      for (const rel of raw.replace(/^"|"$/g, '').split(/\s+/)) {
        if (rel && !links.has(rel.toLowerCase())) links.set(rel.toLowerCase(), url);
      }
    }
  }
  return links;
}

/** The `rel=next` URL of a response, if there is another page. */
export function nextLink(value: string | string[] | undefined): string | undefined {
  return parseLinkHeader(value).get('next');
}
