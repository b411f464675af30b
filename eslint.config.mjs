// Lint rules that keep the layers honest:
//  - src/core/ is plain Node: it must not import `vscode`, src/host/ or src/features/;
//  - src/protocol/ holds types shared with webview/: it imports nothing from the host side;
//  - webview/ only imports src/protocol/ (and its own files), never host code.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const hostOnly = (allowVscode) => ({
  patterns: [
    ...(allowVscode ? [] : [{ group: ['vscode'], message: 'src/core must run in plain Node: no vscode import.' }]),
    { group: ['**/host/**', '**/host', '**/features/**', '**/features'], message: 'core/protocol must not depend on host or features.' },
  ],
  paths: allowVscode ? [] : [{ name: 'vscode', message: 'src/core must run in plain Node: no vscode import.' }],
});

export default tseslint.config(
  { ignores: ['dist/**', 'dist-vsix/**', 'node_modules/**', '.cache/**', 'test-results/**', 'out/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly', URL: 'readonly', __dirname: 'readonly', require: 'readonly', module: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'error',
    },
  },
  { files: ['src/core/**/*.ts'], rules: { 'no-restricted-imports': ['error', hostOnly(false)] } },
  { files: ['src/protocol/**/*.ts'], rules: { 'no-restricted-imports': ['error', hostOnly(false)] } },
  {
    files: ['webview/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [{ name: 'vscode', message: 'webviews run in a browser: no vscode import.' }],
        patterns: [{ group: ['**/src/core/**', '**/src/host/**', '**/src/features/**'], message: 'webview/ imports only src/protocol/.' }],
      }],
    },
  },
);
