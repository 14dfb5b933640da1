/**
 * Prompt recognition. We learn the device's own prompt once (the hostname
 * part), then match every later prompt against it, so banners and MOTD text
 * that happen to end in `#` or `>` are not mistaken for a prompt, and mode
 * changes (`r1(config-if)#`) are still recognised.
 */

/** Anything that looks like a CLI prompt at the very end of the output. */
const GENERIC = /(?:^|\n)([\w.\-@/:~]{1,80})(\([\w.\-/ ]{0,60}\))?([#>$%])[ \t]*$/;

export function genericPrompt(buffer: string): { host: string; line: string } | undefined {
  const m = GENERIC.exec(normalise(buffer));
  if (!m) return undefined;
  return { host: m[1]!, line: `${m[1]}${m[2] ?? ''}${m[3]}` };
}

function escape(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/**
 * The prompt pattern for a learned hostname. Some IOS releases shorten long
 * hostnames in configuration modes, so only the first 20 characters are
 * required verbatim.
 */
export function promptPattern(...hosts: string[]): RegExp {
  const heads = hosts.map((h) => escape(h.slice(0, 20))).join('|');
  return new RegExp(`^(?:${heads})[\\w.\\-@/:~]*(\\([\\w.\\-/ ]{0,60}\\))?[#>$%][ \\t]*$`);
}

/** The last line of the output, when it is a prompt of this device. */
export function trailingPrompt(buffer: string, pattern: RegExp): string | undefined {
  const text = normalise(buffer);
  const nl = text.lastIndexOf('\n');
  const last = text.slice(nl + 1);
  return pattern.test(last) ? last.trim() : undefined;
}

/** Removes what a terminal adds: CR, ANSI sequences, backspace-erased characters. */
export function normalise(text: string): string {
  let out = text.replace(/\x1b\[[0-9;?]*[A-Za-z]/g, '').replace(/\r+\n/g, '\n').replace(/\r/g, '');
  while (/[^\x08]\x08/.test(out)) out = out.replace(/[^\x08]\x08/g, '');
  return out.replace(/\x08/g, '');
}

/** Output of one command without the echoed command line and the trailing prompt. */
export function stripEchoAndPrompt(raw: string, command: string, pattern: RegExp): string {
  const lines = normalise(raw).split('\n');
  if (lines.length > 0 && pattern.test((lines[lines.length - 1] ?? '').trimEnd())) lines.pop();
  const first = lines[0]?.trim() ?? '';
  if (command && (first.endsWith(command.trim()) || (first.length > 0 && command.trim().startsWith(first)))) lines.shift();
  else if (!command && first === '') lines.shift();
  return lines.join('\n');
}
