import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', '.tools/', '.data/', 'dist/', 'test-artifacts/', 'bench/peers/', '**/*.cjs'] },
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  {
    // Workflows run in Temporal's deterministic sandbox: no Node built-ins, no I/O.
    // The contracts and the planner are bundled into it too.
    files: ['src/workflows/**/*.ts', 'src/plan/**/*.ts', 'src/contracts/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*', 'fs', 'net', 'child_process', 'crypto', 'os', 'path', 'http', 'https'], message: 'workflows must not import Node built-ins' },
            { group: ['**/lab/**', '**/server/**', '**/client/**', '**/cli/**', 'ssh2', 'undici'], message: 'workflows must not import I/O modules' },
            // devices/ is I/O, with one exception: the pure HSRP/VRRP state predicate workflows and activities share.
            { regex: '(^|/)devices/(?!platforms/parsers/redundancy$)', message: 'workflows must not import I/O modules' },
            { group: ['**/activities/**'], message: 'workflows import activity types only: use `import type`', allowTypeImports: true },
          ],
        },
      ],
    },
  },
);
