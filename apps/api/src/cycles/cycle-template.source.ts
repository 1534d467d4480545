import { Injectable } from '@nestjs/common';
import { CyclePlan, DomainError, ErrorCode, FieldProblem, UnitKind } from '../../../../libs/domain/src';
import { CampaignTemplate, resolvePlan } from '../../../../libs/domain/src/template';
import { TemplateRepository } from '../templates/template.repository';
import { TemplatesService } from '../templates/templates.service';

/** A stored template version, parsed, ready to resolve one plan per unit kind. */
export interface PinnedTemplate {
  id: string;
  key: string;
  version: number;
  timeZone: string;
  template: CampaignTemplate;
}

/**
 * The template version a cycle pins (through the templates feature), turned into plans. An unknown key/version is
 * the caller's mistake in the start request, so it is a 400 naming the field rather than a 404.
 */
@Injectable()
export class CycleTemplateSource {
  constructor(
    private readonly templates: TemplatesService,
    private readonly stored: TemplateRepository,
  ) {}

  async pin(key: string, version?: number): Promise<PinnedTemplate> {
    try {
      const v = await this.templates.getVersion(key, version);
      return { id: v.id, key: v.key, version: v.version, timeZone: v.template.timeZone, template: v.template };
    } catch (error) {
      if (!(error instanceof DomainError && error.code === ErrorCode.NotFound)) throw error;
      const latest = await this.stored.latestVersion(key);
      throw DomainError.validation(
        latest ? `template ${key} has no version ${version}` : `unknown template ${key}`,
        latest
          ? [{ field: 'templateVersion', problem: `template "${key}" has no version ${version} (latest is ${latest})` }]
          : [{ field: 'templateKey', problem: `no template "${key}"` }],
      );
    }
  }

  /** One plan per unit kind; a start date the template cannot place is reported on `startsAt`. */
  plans(pinned: PinnedTemplate, startsAt: Date, kinds: string[]): Map<string, CyclePlan> {
    const plans = new Map<string, CyclePlan>();
    try {
      for (const kind of kinds) {
        plans.set(
          kind,
          resolvePlan(pinned.template, {
            cycleStartsAt: startsAt,
            unitKind: kind as UnitKind,
            templateVersion: pinned.version,
          }),
        );
      }
    } catch (error) {
      if (error instanceof DomainError) {
        const details: FieldProblem[] = error.details.map((d) => ({
          field: 'startsAt',
          problem: `${d.field}: ${d.problem}`,
        }));
        throw DomainError.validation(
          `the template cannot be planned from this start: ${error.message}`,
          details.length ? details : [{ field: 'startsAt', problem: error.message }],
        );
      }
      throw error;
    }
    return plans;
  }
}
