/**
 * A real SMTP server (smtp-server package) in its own process, for tests whose other processes get killed: prints
 * `READY <port>`, then one `MAIL <json>` line per accepted message (recipient, Message-ID, subject, time received).
 * Run with `node -r test/integration/notifications/support/swc-register.js test/e2e/support/smtp-server-process.ts`.
 */
import { startSmtpSink } from '../../integration/notifications/support/smtp-sink';

void startSmtpSink().then((sink) => {
  sink.onAccepted = (m) =>
    process.stdout.write(
      `MAIL ${JSON.stringify({ to: m.to, messageId: m.messageId, subject: m.subject, receivedAt: m.receivedAt })}\n`,
    );
  process.stdout.write(`READY ${sink.port}\n`);
  process.on('SIGTERM', () => void sink.close().then(() => process.exit(0)));
});
