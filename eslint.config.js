// ESLint (flat config). The rule that matters most: workflow code stays deterministic and bundleable.
const tseslint = require('typescript-eslint');
const { builtinModules } = require('node:module');

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

module.exports = tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', '.data/**', '.tools/**', 'coverage/**', '**/*.js', '**/*.mjs'] },
  ...tseslint.configs.recommended,
  {
    // Type-aware rules: a promise nobody awaits is a lost error, and in workflow code a lost command.
    files: ['**/*.ts', '**/*.tsx', '**/*.mts'],
    languageOptions: {
      parserOptions: {
        // The probes of test/unit/lint/workflow-imports.spec.ts are linted as text, never written to disk.
        projectService: {
          allowDefaultProject: [
            'workflows/lint-probe.ts',
            'activities/lint-probe.ts',
            'libs/domain/src/lint-probe.ts',
            'libs/persistence/src/lint-probe.ts',
            'apps/api/src/lint-probe.ts',
          ],
        },
        tsconfigRootDir: __dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': ['error', { checksVoidReturn: { attributes: false } }],
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true },
      ],
    },
  },
  {
    // Issue 12: rows are typed where they are read. No `any` is written in product code, and none flows in from an
    // untyped answer (TypeORM's query(), JSON.parse, a library callback): name the type, or go through Queryable.
    // Migrations keep their raw statements; test/unit/lint/typed-rows.spec.ts proves the rules bite.
    files: [
      'apps/api/src/**/*.ts',
      'apps/worker/src/**/*.ts',
      'activities/**/*.ts',
      'libs/**/*.ts',
      'workflows/**/*.ts',
    ],
    ignores: ['libs/persistence/src/migrations/**'],
    rules: {
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unsafe-assignment': 'error',
      '@typescript-eslint/no-unsafe-member-access': 'error',
      '@typescript-eslint/no-unsafe-return': 'error',
      '@typescript-eslint/no-unsafe-argument': 'error',
      '@typescript-eslint/no-unsafe-call': 'error',
    },
  },
  {
    // Workflow files: only @temporalio/workflow, pure domain code, and `import type` of activities.
    files: ['workflows/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins.map((name) => ({
            name,
            message: 'Node built-ins are not deterministic: not in workflow code.',
          })),
          patterns: [
            { group: ['@nestjs/*'], message: 'Nest belongs in apps/ and activities/, not in workflow code.' },
            { group: ['typeorm', 'pg', '@nestjs/typeorm'], message: 'Database access belongs in activities.' },
            {
              group: ['@temporalio/client', '@temporalio/worker', '@temporalio/activity'],
              message: 'Workflow code may use @temporalio/workflow only.',
            },
            {
              group: ['luxon', 'chinese-days', 'nodemailer', 'handlebars', 'axios'],
              message: 'Do this in an activity or before the workflow starts.',
            },
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'Import activity TYPES only (import type).',
            },
            {
              group: [
                '**/apps/**',
                '**/libs/persistence/**',
                '**/libs/config/**',
                '**/libs/temporal/**',
                '**/libs/notifications/**',
              ],
              message: 'Workflow code may import only pure domain code (libs/domain).',
            },
          ],
        },
      ],
    },
  },
  // Layers (docs/ARCHITECTURE.md, "Folders, and what may import what"): libs never reach up into apps, activities
  // or workflows; activities never into apps; the api takes only types from activities (it talks to workflows
  // through their message definitions and the gateway, never by running activity code).
  {
    files: ['libs/domain/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '**/activities/**', '**/workflows/**'],
              message: 'libs/domain is the bottom layer: it imports nothing of ours above it.',
            },
            {
              group: ['persistence', 'config', 'temporal', 'notifications'].flatMap((lib) => [
                `**/${lib}/src`,
                `**/${lib}/src/**`,
              ]),
              message: 'libs/domain is pure: no persistence, configuration, Temporal or notifications.',
            },
            {
              group: ['@nestjs/*', 'typeorm', 'pg', '@temporalio/*'],
              message: 'libs/domain is pure: frameworks belong in the layers above.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['libs/**/*.ts'],
    ignores: ['libs/domain/**'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/**', '**/activities/**', '**/workflows/**'],
              message: 'libs are shared below apps, activities and workflows: they never import them.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['activities/**/*.ts', 'apps/worker/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/apps/api/**', '**/apps/console/**'],
              message: 'The worker side does not import the api or the console.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['apps/api/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/activities/**'],
              allowTypeImports: true,
              message: 'The api imports activity TYPES only; shared code belongs in libs/.',
            },
            {
              group: ['**/apps/worker/**', '**/apps/console/**'],
              message: 'The api does not import the worker or the console.',
            },
          ],
        },
      ],
    },
  },
  {
    // The web console runs in the browser: it talks to the api only through the generated client (src/api).
    files: ['apps/console/**/*.{ts,tsx,mts}'],
    rules: {
      '@typescript-eslint/no-restricted-imports': [
        'error',
        {
          paths: nodeBuiltins
            .filter((n) => !n.includes('path'))
            .map((name) => ({ name, message: 'The console runs in the browser.' })),
          patterns: [
            {
              group: ['**/apps/api/**', '**/libs/**', '**/activities/**', '**/workflows/**', '@nestjs/*', 'typeorm'],
              message: 'Use the typed API client (src/api), not server code.',
            },
          ],
        },
      ],
    },
  },
);
