/**
 * Kinds of unit for classified guidance (分类指导): a template step can apply to some kinds only.
 * Keys are stable identifiers used in templates, imports and the API.
 */
export const UNIT_KINDS = {
  office: '党工委办公室 (committee office)',
  agency: '机关 (agency)',
  university: '高校 (university)',
  vocational: '中职 (vocational school)',
  school: '中小学 (primary/secondary school)',
  kindergarten: '幼儿园 (kindergarten)',
  retirees: '离休支部 (retirees’ branch)',
  general_branch: '党总支 (general branch leading sub-branches)',
  other: '其他 (other)',
} as const;

export type UnitKind = keyof typeof UNIT_KINDS;

export const unitKindKeys = Object.keys(UNIT_KINDS) as UnitKind[];

export function isUnitKind(value: string): value is UnitKind {
  return Object.prototype.hasOwnProperty.call(UNIT_KINDS, value);
}
