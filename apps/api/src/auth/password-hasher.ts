import * as argon2 from 'argon2';

/** argon2id with the library's defaults (m=64 MiB, t=3, p=4) — OWASP-acceptable, ~50 ms per hash here. */
export const hashPassword = (password: string) => argon2.hash(password, { type: argon2.argon2id });

export const verifyPassword = (hash: string, password: string) => argon2.verify(hash, password).catch(() => false);

/** Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('not-a-real-password-for-timing'));
