import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { CyclePlan, DomainError, FieldProblem, UnitKind } from '../../../../libs/domain/src';
import { CampaignTemplate, parseTemplate, resolvePlan } from '../../../../libs/domain/src/template';

/** A stored template version, parsed, ready to resolve one plan per unit kind. */
export interface PinnedTemplate {
  id: string;
  key: string;
  version: number;
  timeZone: string;
  template: CampaignTemplate;
}

/**
 * Reads the template version a cycle pins straight from campaign_template (the templates feature writes it) and
 * turns it into plans. Unknown key/version is the caller's mistake, so it is a 400 naming the field.
 */
@Injectable()
export class CycleTemplateSource {
  constructor(@InjectDataSource() private readonly db: DataSource) {}

  async pin(key: string, version?: number): Promise<PinnedTemplate> {
    const [row]: { id: string; key: string; version: number; document: unknown }[] = await this.db.query(
      `SELECT id, key, version, document FROM campaign_template
        WHERE key = $1 AND ($2::int IS NULL OR version = $2) ORDER BY version DESC LIMIT 1`,
      [key, version ?? null],
    );
    if (!row) {
      const [known] = await this.db.query('SELECT max(version) AS latest FROM campaign_template WHERE key = $1', [key]);
      throw DomainError.validation(
        known?.latest ? `template ${key} has no version ${version}` : `unknown template ${key}`,
        known?.latest
          ? [{ field: 'templateVersion', problem: `template "${key}" has no version ${version} (latest is ${known.latest})` }]
          : [{ field: 'templateKey', problem: `no template "${key}"` }],
      );
    }
    const parsed = parseTemplate(row.document as object);
    if (!parsed.ok) throw new Error(`stored template ${key} v${row.version} no longer parses: ${JSON.stringify(parsed.problems)}`);
    return { id: row.id, key: row.key, version: row.version, timeZone: parsed.template.timeZone, template: parsed.template };
  }

  /** One plan per unit kind; a start date the template cannot place is reported on `startsAt`. */
  plans(pinned: PinnedTemplate, startsAt: Date, kinds: string[]): Map<string, CyclePlan> {
    const plans = new Map<string, CyclePlan>();
    try {
      for (const kind of kinds) {
        plans.set(kind, resolvePlan(pinned.template, { cycleStartsAt: startsAt, unitKind: kind as UnitKind, templateVersion: pinned.version }));
      }
    } catch (error) {
      if (error instanceof DomainError) {
        const details: FieldProblem[] = error.details.map((d) => ({ field: 'startsAt', problem: `${d.field}: ${d.problem}` }));
        throw DomainError.validation(`the template cannot be planned from this start: ${error.message}`, details.length ? details : [{ field: 'startsAt', problem: error.message }]);
      }
      throw error;
    }
    return plans;
  }
}
