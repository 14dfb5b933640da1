/**
 * The version an image boots into, from the common file-name patterns
 * (IOS-XE `cat9k_iosxe.17.12.04.SPA.bin`, `isr4400-universalk9.17.09.04a.SPA.bin`,
 * NX-OS `nxos64-cs.10.4.3.F.bin` / `nxos.9.3.10.bin`, `frr-8.5.bin`);
 * undefined when the name says nothing, and the caller must give the version.
 */
export function versionFromImageFileName(fileName: string): string | undefined {
  const base = fileName.replace(/^.*[/\\]/, '');
  const m =
    /^cat9k_iosxe\.(.+)\.SPA\.bin$/i.exec(base) ??
    /^[a-z0-9]+-universalk9\.(.+)\.SPA\.bin$/i.exec(base) ??
    /^nxos64-cs\.(.+)\.F\.bin$/i.exec(base) ??
    /^nxos\.(.+)\.bin$/i.exec(base) ??
    /^frr-(.+)\.bin$/i.exec(base);
  return m?.[1];
}
