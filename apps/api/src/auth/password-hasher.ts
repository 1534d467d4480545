import { Algorithm, hash, verify } from '@node-rs/argon2';

// @node-rs/argon2 (prebuilt per platform by napi-rs) rather than `argon2`: the latter's linux-x64 prebuild crashes
// with SIGSEGV on load on this project's machines, and building it from source needs a compiler a fresh machine lacks.

/** argon2id with the library's defaults (m=19 MiB, t=2, p=1: OWASP's recommended minimum). */
export const hashPassword = (password: string) => hash(password, { algorithm: Algorithm.Argon2id });

export const verifyPassword = (hashed: string, password: string) => verify(hashed, password).catch(() => false);

/** Verified against when the e-mail is unknown, so a wrong e-mail takes as long as a wrong password. */
let dummyHash: Promise<string> | undefined;
export const dummyPasswordHash = () => (dummyHash ??= hashPassword('not-a-real-password-for-timing'));
