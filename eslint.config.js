// ESLint for every TypeScript and JavaScript file of the tree (`npm run lint`, also run by
// `npm test`). Layout is Prettier's (.prettierrc.json): no rule here is about formatting.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  // Generated or not ours. .gitignore lists the same paths, but ESLint does not read it.
  globalIgnores(['node_modules/', 'out/', 'native/build/', 'test-artifacts/', 'videos/']),

  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      parserOptions: {
        // Types come from tsconfig.json, the program `tsc --noEmit` checks.
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      // node:test's test/describe/it return promises that the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        {
          allowForKnownSafeCalls: [
            { from: 'package', package: 'node:test', name: ['test', 'describe', 'it', 'suite'] },
          ],
        },
      ],
      // A `default:` handles the other cases on purpose; a switch without one must name them all.
      '@typescript-eslint/switch-exhaustiveness-check': ['error', { considerDefaultExhaustiveForUnions: true }],
      // The tree's style: `import type { A }` when all are types, `import { f, type A }` when mixed.
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      '@typescript-eslint/no-import-type-side-effects': 'error',
      // A promise returned from inside try without await skips its catch and finally.
      '@typescript-eslint/return-await': ['error', 'in-try-catch'],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // `const { dropped, ...rest } = x` is how the tree omits keys (tsc's noUnusedLocals agrees).
      '@typescript-eslint/no-unused-vars': ['error', { ignoreRestSiblings: true }],
      // Parsers of network input match control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // The JavaScript (bootstrap, test runner, fake helper, dashboard) is outside tsconfig.json and
    // mostly synchronous or untyped: type-aware rules would find little there, and the second
    // TypeScript program they need would add about 4 s to every run. It gets the other rules.
    files: ['**/*.js', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.js', '**/*.mjs'],
    ignores: ['web/**'],
    languageOptions: { globals: globals.node },
  },
  {
    // Tests assert on the server's JSON output, which JSON.parse types as `any`: the assertion is
    // the check there, and a cast per record would add noise, not safety.
    files: ['test/**'],
    rules: {
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
    },
  },
  {
    // Plain browser JavaScript, loaded by a <script> tag.
    files: ['web/**/*.js'],
    languageOptions: { sourceType: 'script', globals: globals.browser },
  },
);
