import { readFile } from 'node:fs/promises';
import type { ResolvedCredentials } from '../devices/ssh/types';
import type { CredentialRef, SecretRef } from '../inventory/types';

export type SecretResolver = (ref: SecretRef) => Promise<string>;

/** Turns a credential reference into secrets, inside the activity only. */
export async function resolveCredentials(ref: CredentialRef, resolveSecret: SecretResolver): Promise<ResolvedCredentials> {
  const creds: ResolvedCredentials = { username: ref.username };
  if (ref.password) creds.password = await resolveSecret(ref.password);
  if (ref.enableSecret) creds.enableSecret = await resolveSecret(ref.enableSecret);
  if (ref.privateKey) creds.privateKey = await readFile(ref.privateKey);
  if (ref.passphrase) creds.passphrase = await resolveSecret(ref.passphrase);
  if (ref.agent && process.env['SSH_AUTH_SOCK']) creds.agent = process.env['SSH_AUTH_SOCK'];
  return creds;
}
