// Lint of the whole tree (npm run lint, run by npm test). Formatting is prettier's; these rules catch what
// prettier cannot: lines it cannot break, comma and void idioms, unused code, and the TypeScript pitfalls.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  {
    ignores: [
      'dist/**',
      'node_modules/**',
      '.tools/**',
      '.data/**',
      'coverage/**',
      'bench/results/**',
      'apps/web/dist/**',
      'workflow-bundle.js',
    ],
  },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  prettier,
  {
    languageOptions: {
      globals: {
        console: 'readonly',
        process: 'readonly',
        require: 'readonly',
        module: 'writable',
        __dirname: 'readonly',
        Buffer: 'readonly',
        setTimeout: 'readonly',
        clearTimeout: 'readonly',
        setInterval: 'readonly',
        clearInterval: 'readonly',
        URL: 'readonly',
        fetch: 'readonly',
      },
    },
    rules: {
      'max-len': ['error', { code: 120, ignoreUrls: true, ignoreRegExpLiterals: true }],
      'no-sequences': 'error',
      'no-void': 'error',
      '@typescript-eslint/no-unused-vars': [
        'error',
        { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' },
      ],
      '@typescript-eslint/no-require-imports': 'off',
    },
  },
  {
    // Repositories own the SQL (docs/architecture.md): no query, query builder, query runner or entity repository
    // in an application; the data access goes through a libs/persistence repository.
    files: ['apps/**'],
    rules: {
      'no-restricted-syntax': [
        'error',
        ...['query', 'createQueryBuilder', 'createQueryRunner', 'getRepository'].map((name) => ({
          selector: `CallExpression[callee.property.name='${name}']`,
          message: `.${name}() in an application: SQL belongs in a libs/persistence repository (docs/architecture.md)`,
        })),
        ...['InjectDataSource', 'InjectEntityManager', 'InjectRepository'].map((name) => ({
          selector: `CallExpression[callee.name='${name}']`,
          message:
            `@${name}() in an application: inject a libs/persistence repository instead ` +
            '(apps/api/src/persistence/persistence.module.ts, docs/architecture.md)',
        })),
      ],
    },
  },
);
