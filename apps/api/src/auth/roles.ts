/**
 * Roles of an account. Evaluation respondents have no account and no role: they hold a one-time token instead
 * (apps/api/src/evaluations).
 */
export const ROLES = ['office_admin', 'office_reviewer', 'unit_secretary', 'unit_submitter', 'auditor'] as const;
export type Role = (typeof ROLES)[number];

/** The committee office: sees and acts on every unit. */
export const OFFICE_ROLES: readonly Role[] = ['office_admin', 'office_reviewer'];
/** Roles that act for one unit (the account's unitId). */
export const UNIT_ROLES: readonly Role[] = ['unit_secretary', 'unit_submitter'];

/** Who is calling, as the bearer guard puts it on the request (loaded fresh from app_user on every request). */
export interface AuthUser {
  id: string;
  email: string;
  displayName: string;
  roles: Role[];
  unitId: string | null;
}

export const hasAnyRole = (user: AuthUser, roles: readonly Role[]) => user.roles.some((r) => roles.includes(r));
