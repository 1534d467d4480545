import type { EntityManager } from 'typeorm';
import type { UnitContact } from './entities/unit.entity';
import { UnitSecretRepository } from './repositories/unit-secret.repository';

/**
 * Credentials of a unit's notice channels: robot URLs carry their key in the query (`key=`, `access_token=`), a
 * generic webhook often a token, and a DingTalk robot may have a signing secret. They live in `unit_secret`, apart
 * from the `unit` row that every reader's query selects: a reader query cannot leak what it does not select.
 * Each is addressed by a ref: `webhookUrl` (the unit's own webhook) or `contacts[<i>].<field>`.
 */
export const SECRET_CONTACT_FIELDS = ['wecomWebhook', 'dingtalkWebhook', 'dingtalkSecret', 'webhookUrl'] as const;
export type SecretContactField = (typeof SECRET_CONTACT_FIELDS)[number];
export const UNIT_WEBHOOK_REF = 'webhookUrl';

export type SecretValues = Map<string, string>;

/** Contacts without their secret fields, and the secrets by ref. */
export function splitContactSecrets(contacts: UnitContact[]): { contacts: UnitContact[]; secrets: SecretValues } {
  const secrets: SecretValues = new Map();
  const stripped = contacts.map((contact, i) => {
    const rest: UnitContact = { ...contact };
    for (const field of SECRET_CONTACT_FIELDS) {
      if (rest[field] !== undefined) secrets.set(`contacts[${i}].${field}`, String(rest[field]));
      delete rest[field];
    }
    return rest;
  });
  return { contacts: stripped, secrets };
}

/** Puts the secrets back (real values for the notice worker, masked ones for office admins). */
export function withContactSecrets(
  contacts: UnitContact[],
  secrets: SecretValues | undefined,
  show: (value: string) => string = (v) => v,
): UnitContact[] {
  if (!secrets?.size) return contacts;
  return contacts.map((contact, i) => {
    const out: UnitContact = { ...contact };
    for (const field of SECRET_CONTACT_FIELDS) {
      const value = secrets.get(`contacts[${i}].${field}`);
      if (value !== undefined) out[field] = show(value);
    }
    return out;
  });
}

/** The secrets of the given units, by unit id then ref. One query, on the caller's connection. */
export async function loadUnitSecrets(manager: EntityManager, unitIds: string[]): Promise<Map<string, SecretValues>> {
  const out = new Map<string, SecretValues>();
  if (unitIds.length === 0) return out;
  for (const r of await new UnitSecretRepository(manager).ofUnits(unitIds)) {
    if (!out.has(r.unit_id)) out.set(r.unit_id, new Map());
    out.get(r.unit_id)!.set(r.ref, r.value);
  }
  return out;
}

/** `…abcd`: enough to tell two robots apart, useless to post to. Short values show nothing of themselves. */
export function maskSecret(value: string): string {
  return value.length > 8 ? `…${value.slice(-4)}` : '…';
}
