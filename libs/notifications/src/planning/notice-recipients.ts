import type { EntityManager } from 'typeorm';
import type { UnitContact } from '../../../persistence/src/entities/unit.entity';
import {
  NoticeAudienceRepository,
  type AudienceUnitRow,
} from '../../../persistence/src/repositories/notice-audience.repository';
import { loadUnitSecrets, UNIT_WEBHOOK_REF, withContactSecrets } from '../../../persistence/src/unit-secrets';
import type { NoticeChannel } from '../../../domain/src/notices/channels';

export type Audience = 'unit' | 'parent' | 'office';

type UnitRecord = AudienceUnitRow;

/** One (recipient, channel) pair to create a delivery for. */
export interface ResolvedRecipient {
  /** null: the office itself, when the unit tree has no unit of kind office. */
  recipientUnitId: string | null;
  contact: UnitContact;
  channel: NoticeChannel;
  /** e-mail address (lower-cased), webhook URL, `unit:<id>` for a unit's inbox, or `office` for the office's own inbox. */
  address: string;
}

/** Who a notice goes to, or why it reaches no one. */
export interface AudienceResolution {
  recipients: ResolvedRecipient[];
  /** "no recipient for office of xh-s01: …" — recorded as a dead letter so the office sees it, never as done. */
  problem?: string;
}

/**
 * The unit(s) a notice is addressed to: the unit itself; its parent (a 党总支 leading its 党支部; a unit without a
 * parent escalates straight to the office); or the office — the root of the unit's tree when that root is of kind
 * 'office', else any parentless unit of kind 'office'.
 */
export async function audienceUnits(manager: EntityManager, unitId: string, audience: Audience): Promise<UnitRecord[]> {
  return withSecrets(manager, await audienceUnitRows(manager, unitId, audience));
}

/** The robot URLs and signing secrets, kept apart from the unit row (libs/persistence/src/unit-secrets.ts). */
async function withSecrets(manager: EntityManager, units: UnitRecord[]): Promise<UnitRecord[]> {
  const secrets = await loadUnitSecrets(
    manager,
    units.map((u) => u.id),
  );
  return units.map((u) => ({
    ...u,
    webhook_url: secrets.get(u.id)?.get(UNIT_WEBHOOK_REF) ?? u.webhook_url,
    contacts: withContactSecrets(u.contacts ?? [], secrets.get(u.id)),
  }));
}

async function audienceUnitRows(manager: EntityManager, unitId: string, audience: Audience): Promise<UnitRecord[]> {
  const units = NoticeAudienceRepository.on(manager);
  const unit = await units.unit(unitId);
  // A unit deleted meanwhile has no one to notify: no deliveries (an error would retry recordNotice forever).
  if (!unit) return [];
  if (audience === 'unit') return [unit];
  if (audience === 'parent' && unit.parent_id) {
    const parent = await units.unit(unit.parent_id);
    if (parent && parent.kind !== 'office') return [parent];
  }
  return units.officeOf(unitId);
}

/**
 * The people of a unit: its contacts list, plus the unit row's own e-mail / webhook as its secretary's contact
 * when no listed contact already has them. `extraEmails` (NOTICE_OFFICE_EMAILS) is added for the office.
 */
export function contactsOf(unit: UnitRecord, extraEmails: string[] = []): UnitContact[] {
  const contacts = [...(unit.contacts ?? [])];
  const has = (pred: (c: UnitContact) => boolean) => contacts.some(pred);
  if (unit.email && !has((c) => c.email?.toLowerCase() === unit.email!.toLowerCase())) {
    contacts.unshift({ name: unit.secretary_name ?? unit.name, role: 'secretary', email: unit.email });
  }
  if (unit.webhook_url && !has((c) => c.webhookUrl === unit.webhook_url)) {
    contacts.push({ name: unit.name, webhookUrl: unit.webhook_url });
  }
  for (const email of extraEmails) {
    if (!has((c) => c.email?.toLowerCase() === email.toLowerCase())) contacts.push({ name: unit.name, email });
  }
  return contacts;
}

/** Every (contact, channel) of the units, plus one inbox message per unit; duplicates (same address) collapse. */
export function recipientsOf(units: UnitRecord[], extraOfficeEmails: string[]): ResolvedRecipient[] {
  const out = new Map<string, ResolvedRecipient>();
  const add = (r: ResolvedRecipient) => {
    const key = `${r.channel}|${r.address}`;
    if (!out.has(key)) out.set(key, r);
  };
  for (const unit of units) {
    const extra = unit.kind === 'office' ? extraOfficeEmails : [];
    for (const contact of contactsOf(unit, extra)) {
      if (contact.email)
        add({ recipientUnitId: unit.id, contact, channel: 'email', address: contact.email.trim().toLowerCase() });
      if (contact.wecomWebhook)
        add({ recipientUnitId: unit.id, contact, channel: 'wecom', address: contact.wecomWebhook });
      if (contact.dingtalkWebhook)
        add({ recipientUnitId: unit.id, contact, channel: 'dingtalk', address: contact.dingtalkWebhook });
      if (contact.webhookUrl)
        add({ recipientUnitId: unit.id, contact, channel: 'webhook', address: contact.webhookUrl });
    }
    add({
      recipientUnitId: unit.id,
      contact: { name: unit.secretary_name ?? unit.name },
      channel: 'inbox',
      address: `unit:${unit.id}`,
    });
  }
  return [...out.values()];
}

/**
 * The office without an office unit: NOTICE_OFFICE_EMAILS, and the office's own in-app inbox (unit NULL). The inbox
 * alone reaches no one until someone looks, so without e-mails the caller also records a problem.
 */
export function officeRecipients(officeEmails: string[]): ResolvedRecipient[] {
  const contact = { name: '办公室' };
  const emails = [...new Set(officeEmails.map((e) => e.trim().toLowerCase()).filter(Boolean))];
  return [
    ...emails.map((address): ResolvedRecipient => ({
      recipientUnitId: null,
      contact: { ...contact, email: address },
      channel: 'email',
      address,
    })),
    { recipientUnitId: null, contact, channel: 'inbox', address: 'office' },
  ];
}

/**
 * Recipients of a notice on its audience. Office notices (and parent notices of a unit without a parent) reach the
 * office unit when the tree has one, else NOTICE_OFFICE_EMAILS and the office's inbox; with neither an office unit
 * nor office e-mails — or a unit gone — the resolution carries the problem instead of silently reaching nobody.
 */
export async function resolveAudience(
  manager: EntityManager,
  unitId: string,
  audience: Audience,
  officeEmails: string[],
): Promise<AudienceResolution> {
  const units = await audienceUnits(manager, unitId, audience);
  if (units.length) return { recipients: recipientsOf(units, officeEmails) };
  const unit = await NoticeAudienceRepository.on(manager).unit(unitId);
  if (!unit)
    return { recipients: [], problem: `no recipient for ${audience} of unit ${unitId}: the unit no longer exists` };
  // Only the office is left (audienceUnits returns the unit itself, or a parent that is not the office, when they exist).
  const recipients = officeRecipients(officeEmails);
  if (recipients.some((r) => r.channel !== 'inbox')) return { recipients };
  const why = `${audience === 'parent' ? 'it has no parent unit, ' : ''}the unit tree has no unit of kind office and NOTICE_OFFICE_EMAILS is empty`;
  return { recipients, problem: `no recipient for ${audience} of ${unit.code}: ${why}` };
}

export type { UnitRecord };
