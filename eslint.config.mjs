// Lint: ESLint's and typescript-eslint's recommended rules, which the code already follows.
// Formatting is Prettier's job (npm run format:check), so no style rules here.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import globals from 'globals';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'coverage/', 'tmp/', 'data/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      // Unused names fail the type check already; `_name` marks one kept on purpose.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-duplicate-imports': 'error',
      eqeqeq: ['error', 'always'],
    },
  },
  {
    files: ['views/assets/**/*.js'],
    languageOptions: { globals: globals.browser },
  },
  {
    files: ['*.js', '*.mjs', 'scripts/**/*.mjs'],
    languageOptions: { globals: globals.node },
  },
);
