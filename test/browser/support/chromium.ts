import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Without a CJK font every Chinese character is a box in the screenshots (office PCs have one; CI images do not). */
const CJK_FONT = '/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc';

/**
 * Debian's Chromium and a Chinese font (fonts-noto-cjk), installed with apt-get the first time (CI images and fresh machines lack it). Under flock so
 * two Jest workers do not run apt at once; the second finds it installed.
 */
export function ensureChromium(): string {
  if (existsSync(CHROMIUM) && existsSync(CJK_FONT)) return CHROMIUM;
  const script = `(test -x ${CHROMIUM} && test -f ${CJK_FONT}) || (apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y chromium fonts-noto-cjk)`;
  const r = spawnSync('flock', ['/tmp/campaigns-chromium-install.lock', 'bash', '-c', script], { stdio: 'inherit' });
  if (r.status !== 0 || !existsSync(CHROMIUM))
    throw new Error(
      `could not install Chromium with apt-get (exit ${r.status}); install the Debian packages "chromium" and "fonts-noto-cjk" and re-run`,
    );
  return CHROMIUM;
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: ensureChromium(),
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}
