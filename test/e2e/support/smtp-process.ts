import { ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { repoRoot } from '../../support/paths';

export interface CountedMail {
  to: string[];
  messageId: string;
  subject: string;
  receivedAt: number;
}

export interface SmtpProcess {
  port: number;
  mails: CountedMail[];
  close(): Promise<void>;
}

/** Starts test/e2e/support/smtp-server-process.ts as a child process and collects what it accepts. */
export async function startSmtpProcess(): Promise<SmtpProcess> {
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '-r',
      join(repoRoot, 'test', 'integration', 'notifications', 'support', 'swc-register.js'),
      join(__dirname, 'smtp-server-process.ts'),
    ],
    { cwd: repoRoot, stdio: ['ignore', 'pipe', 'inherit'] },
  );
  const mails: CountedMail[] = [];
  const port = await new Promise<number>((resolve, reject) => {
    createInterface({ input: child.stdout! }).on('line', (line) => {
      if (line.startsWith('READY ')) resolve(Number(line.slice(6)));
      else if (line.startsWith('MAIL ')) mails.push(JSON.parse(line.slice(5)));
    });
    child.once('exit', (code) => reject(new Error(`SMTP server process exited (${code})`)));
  });
  return {
    port,
    mails,
    close: () =>
      new Promise((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}
