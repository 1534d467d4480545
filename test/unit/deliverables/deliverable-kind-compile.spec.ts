import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DELIVERABLE_KINDS } from '../../../libs/domain/src/deliverables/deliverable-kinds';
import { compileProbe, lineOf } from '../../support/compile-probe';
import { repoRoot } from '../../support/paths';

/**
 * The newcomer's path (docs/ARCHITECTURE.md, "To add a deliverable kind"): the kinds are the keys of the table in
 * libs/domain/src/deliverables/deliverable-kinds.ts; the api's enums and the template schema derive from it, and the
 * console sees them through the generated schema. A probe adds a kind to that schema (what `npm run console:api`
 * writes after the table gains one) and compiles the console's two per-kind places with the real compiler: each must
 * refuse to compile until it handles the new kind. The table itself refuses a kind without its fields.
 */
describe('a new deliverable kind does not compile until every place handles it', () => {
  const schema = 'apps/console/src/api/schema.d.ts';
  const editor = 'apps/console/src/pages/my-task/DeliverableEditor.tsx';
  const review = 'apps/console/src/pages/review-queue/Deliverable.tsx';
  const kindUnion = DELIVERABLE_KINDS.map((k) => `"${k}"`).join(' | ');
  const schemaText = readFileSync(join(repoRoot, schema), 'utf8');

  it('the generated schema spells the kinds as the domain table orders them', () => {
    expect(schemaText.split(kindUnion).length - 1).toBe(3); // DeliverableEntryDto, QueueDeliverableDto, TaskDeliverableDto
  });

  // The list of errors is compared whole: the two expected ones and no other (an error already there would show).
  it('refuses the hand-in form and the review rendering of a kind they do not handle', () => {
    const probe = schemaText.split(kindUnion).join(`${kindUnion} | "site_photos"`);
    // Neither file needs Node's or Vite's ambient types: leaving them out halves the compile.
    const errors = compileProbe('apps/console/tsconfig.json', [editor, review], { [schema]: probe }, []);
    expect(errors.map(({ file, line, code }) => ({ file, line, code }))).toEqual([
      { file: editor, line: lineOf(editor, 'const EDITORS: Record<DeliverableKind'), code: 2741 },
      { file: review, line: lineOf(review, 'const KIND_VIEWS: Record<DeliverableKind'), code: 2741 },
    ]);
    for (const e of errors) expect(e.message).toContain("Property 'site_photos' is missing");
  });

  it('refuses, in the kinds’ table itself, a kind without the fields it carries', () => {
    const table = 'libs/domain/src/deliverables/deliverable-kinds.ts';
    const last = '  free_form: { fields: z.strictObject({}), textRequired: true },\n';
    const text = readFileSync(join(repoRoot, table), 'utf8');
    expect(text).toContain(last);
    const probe = text.replace(last, `${last}  site_photos: { textRequired: false },\n`);
    const errors = compileProbe('tsconfig.json', [table, 'libs/domain/src/template/schema.ts'], { [table]: probe }, []);
    expect(errors[0]).toEqual({
      file: table,
      line: lineOf(table, last.trim()) + 1,
      code: 2741,
      message: "Property 'fields' is missing in type '{ textRequired: false; }' but required in type 'KindSpec'.",
    });
    expect(errors.every((e) => e.file === table)).toBe(true);
  });
});
