// ESLint flat config: typescript-eslint with type information from tsconfig.json.
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

export default defineConfig(
  globalIgnores(['dist/', 'node_modules/', 'coverage/', '.tmp/']),
  js.configs.recommended,
  tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: globals.node,
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: {
      reportUnusedDisableDirectives: 'error',
    },
    rules: {
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrorsIgnorePattern: '^_' },
      ],
      eqeqeq: ['error', 'always', { null: 'ignore' }],
      // Sanitising untrusted text for the log means matching control characters on purpose.
      'no-control-regex': 'off',
    },
  },
  {
    // Plain JavaScript (this file and any other config) is outside tsconfig.json: no type information.
    files: ['**/*.{js,mjs,cjs}'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['test/**/*.ts'],
    rules: {
      // expect(obj.method).toHaveBeenCalled() and vi.fn() mocks are fine in tests.
      '@typescript-eslint/unbound-method': 'off',
      // Fakes implement async interfaces with bodies that need no await.
      '@typescript-eslint/require-await': 'off',
    },
  },
);
