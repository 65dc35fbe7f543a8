// Lint rules that keep the architecture: layer boundaries (nx tags) and the per-record path free
// of fp-ts. Type-aware rules are left to `tsc` (the typecheck target) to keep lint fast.
import nx from '@nx/eslint-plugin'
import tseslint from 'typescript-eslint'

export default [
  { ignores: ['**/node_modules/**', '**/dist/**', '**/.nx/**', '**/vitest.config.ts'] },
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts', '**/*.mjs'],
    plugins: { '@nx': nx },
    rules: {
      '@nx/enforce-module-boundaries': [
        'error',
        {
          enforceBuildableLibDependency: false,
          allow: [],
          depConstraints: [
            { sourceTag: 'layer:runtime', onlyDependOnLibsWithTags: ['layer:runtime'] },
            { sourceTag: 'layer:process', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:process'] },
            { sourceTag: 'layer:datastream', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:process', 'layer:datastream'] },
            { sourceTag: 'layer:table', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:process', 'layer:datastream', 'layer:table'] },
            { sourceTag: 'layer:connector', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:connector'] },
            { sourceTag: 'type:app', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:process', 'layer:datastream', 'layer:table', 'layer:connector'] },
            { sourceTag: 'type:tool', onlyDependOnLibsWithTags: ['layer:runtime', 'layer:process', 'layer:datastream', 'layer:table', 'layer:connector'] },
          ],
        },
      ],
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-namespace': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-empty-function': 'off',
      'no-restricted-syntax': ['error', { selector: 'ExportDefaultDeclaration', message: 'No default exports: name what you export.' }],
    },
  },
  {
    // The per-record path: no fp-ts (allocation per call), see ARCHITECTURE.md "Performance rules".
    files: ['**/internal/exec/**/*.ts', '**/internal/state/**/*.ts', '**/internal/time/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['fp-ts', 'fp-ts/*'], message: 'fp-ts stays out of the per-record path (internal/exec, state, time).' }] }],
    },
  },
]
