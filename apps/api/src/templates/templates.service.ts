import { Injectable } from '@nestjs/common';
import { Db } from '../../../../libs/persistence/src';
import { randomUUID } from 'node:crypto';
import { CyclePlan, DomainError, UnitKind } from '../../../../libs/domain/src';
import { CampaignTemplate, parseTemplate, resolvePlan, templateChecksum } from '../../../../libs/domain/src/template';
import { TemplateRepository, type TemplateListRow, type TemplateRow, type TemplateSource } from './template.repository';

/** One saved version of a template, parsed. `id` is what campaign_cycle.template_id references. */
export interface TemplateVersion extends TemplateRow {
  /** The document parsed, defaults applied (`document` is as written, defaults not applied: what is stored and hashed). */
  template: CampaignTemplate;
}

export interface SaveResult {
  id: string;
  key: string;
  version: number;
  /** false when the same document was already stored (that version is returned). */
  created: boolean;
  checksum: string;
  summary: TemplateSummary;
}

/** A short description of a parsed template: what validate and save return. */
export interface TemplateSummary {
  key: string;
  name: string;
  referenceYear: number;
  timeZone: string;
  stages: { key: string; title: string; steps: string[] }[];
  recurring: { series: string; title: string }[];
}

function summarise(t: CampaignTemplate): TemplateSummary {
  return {
    key: t.key,
    name: t.name,
    referenceYear: t.referenceYear,
    timeZone: t.timeZone,
    stages: t.stages.map((s) => ({ key: s.key, title: s.title, steps: s.steps.map((x) => x.key) })),
    recurring: t.recurring.map((r) => ({ series: r.series, title: r.title })),
  };
}

/** Parses or throws a 400 listing every problem. */
function parseOrThrow(input: string | object): { template: CampaignTemplate; document: unknown } {
  const result = parseTemplate(input);
  if (!result.ok)
    throw DomainError.validation(`the template has ${result.problems.length} problem(s)`, result.problems);
  return result;
}

function toVersion(row: TemplateRow): TemplateVersion {
  const parsed = parseTemplate(row.document as object);
  if (!parsed.ok)
    throw new Error(`stored template ${row.key} v${row.version} no longer parses: ${JSON.stringify(parsed.problems)}`);
  return {
    id: row.id,
    key: row.key,
    version: row.version,
    name: row.name,
    checksum: row.checksum,
    source: row.source,
    createdBy: row.createdBy,
    createdAt: row.createdAt,
    document: row.document,
    template: parsed.template,
  };
}

/**
 * Template versions in campaign_template. A changed document becomes version n+1 of its key; an unchanged one
 * (same checksum of the canonical JSON — YAML comments and key order do not count) returns the stored version.
 * Saves of one key are serialised by a transaction-scoped advisory lock, so two api processes loading the
 * built-ins at the same moment cannot both write version n+1.
 */
@Injectable()
export class TemplatesService {
  constructor(
    private readonly db: Db,
    private readonly templates: TemplateRepository,
  ) {}

  validate(input: string | object): TemplateSummary {
    return summarise(parseOrThrow(input).template);
  }

  async save(input: string | object, source: TemplateSource, createdBy: string | null = null): Promise<SaveResult> {
    const { template, document } = parseOrThrow(input);
    const checksum = templateChecksum(document);
    return this.db.transaction(async () => {
      await this.templates.lockKey(template.key);
      const same = await this.templates.findByChecksum(template.key, checksum);
      if (same)
        return {
          id: same.id,
          key: template.key,
          version: same.version,
          created: false,
          checksum,
          summary: summarise(template),
        };
      const next = await this.templates.nextVersion(template.key);
      const id = randomUUID();
      await this.templates.insert({
        id,
        key: template.key,
        version: next,
        name: template.name,
        document,
        checksum,
        source,
        createdBy,
      });
      return { id, key: template.key, version: next, created: true, checksum, summary: summarise(template) };
    });
  }

  /** The latest version of every key. */
  listLatest(): Promise<TemplateListRow[]> {
    return this.templates.listLatest();
  }

  async listVersions(key: string): Promise<TemplateListRow[]> {
    const rows = await this.templates.listVersions(key);
    if (!rows.length) throw DomainError.notFound(`template ${key}`);
    return rows;
  }

  /** A stored version (the latest when `version` is omitted), parsed. For the cycles feature and the api. */
  async getVersion(key: string, version?: number): Promise<TemplateVersion> {
    const row = await this.templates.findVersion(key, version ?? null);
    if (!row)
      throw DomainError.notFound(version === undefined ? `template ${key}` : `template ${key} version ${version}`);
    return toVersion(row);
  }

  /** The plan a unit of `unitKind` would follow in a cycle starting on `startsOn` (YYYY-MM-DD, template's zone). */
  async preview(key: string, version: number, startsOn: string, unitKind: UnitKind): Promise<CyclePlan> {
    const v = await this.getVersion(key, version);
    return resolvePlan(v.template, { cycleStartsAt: startsOn, unitKind, templateVersion: v.version });
  }

  /** For GET …/versions/:version: the stored document, plus a plan preview when `startsOn` is given. */
  async versionWithPreview(key: string, version: number, query: { startsOn?: string; unitKind?: string }) {
    const { template, ...v } = await this.getVersion(key, version);
    if (!query.startsOn) return v;
    const unitKind = (query.unitKind ?? 'school') as UnitKind;
    return {
      ...v,
      preview: resolvePlan(template, { cycleStartsAt: query.startsOn, unitKind, templateVersion: v.version }),
    };
  }
}
