import { DomainError, FieldProblem } from '../../../../libs/domain/src';

const HOW = 'send JSON { "document": {...} } or the YAML text with Content-Type application/yaml';

/**
 * The template in a request: a raw YAML/JSON text body (application/yaml, text/yaml), or JSON `{ "document": ... }`
 * whose document is the template object or its YAML text. Anything else is a 400 naming the field.
 */
export function templateInput(body: unknown): string | object {
  if (typeof body === 'string') return body;
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw DomainError.validation('no template in the request', [{ field: 'document', problem: `is required: ${HOW}` }]);
  }
  const problems: FieldProblem[] = Object.keys(body)
    .filter((k) => k !== 'document')
    .map((k) => ({ field: k, problem: `unknown field (${HOW})` }));
  const document = (body as { document?: unknown }).document;
  if (document === undefined) problems.unshift({ field: 'document', problem: `is required: ${HOW}` });
  else if (
    typeof document !== 'string' &&
    (typeof document !== 'object' || document === null || Array.isArray(document))
  ) {
    problems.unshift({ field: 'document', problem: 'must be the template (an object) or its YAML text (a string)' });
  }
  if (problems.length)
    throw DomainError.validation(
      `invalid request: ${problems.map((p) => `${p.field}: ${p.problem}`).join('; ')}`,
      problems,
    );
  return document as string | object;
}
