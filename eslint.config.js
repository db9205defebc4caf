// `npm run lint`: type-aware checks that the type-checker does not make (a promise nobody
// awaits, a promise where a callback's result is ignored), React's hooks rules, and the
// import boundaries that keep the house in layers (docs/ARCHITECTURE.md).
import reactHooks from 'eslint-plugin-react-hooks';
import tseslint from 'typescript-eslint';

const CAPABILITIES = ['account', 'auth', 'chat', 'coach', 'datacopy', 'files', 'jobs', 'legacy', 'mail', 'maintenance', 'ps101', 'recovery', 'resumes'];
const WEB_FEATURES = ['account', 'auth', 'chat', 'files', 'legacy', 'matches', 'resumes', 'welcome', 'workbook'];

/** The lower layers of the server (connections, HTTP plumbing, metrics, limits) import no capability. */
const lowerLayer = (folder) => ({
  files: [`src/${folder}/**/*.ts`],
  ignores: ['src/**/*.test.ts'],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: CAPABILITIES.map((name) => `../${name}/*`),
            message: `src/${folder}/ is a lower layer: it may not import a capability; have the capability hand it what it needs.`,
          },
        ],
      },
    ],
  },
});

/** A web feature uses the shared folders (api, app, autosave), never another feature's files. */
const webFeature = (feature) => ({
  files: [`web/src/${feature}/**/*.{ts,tsx}`],
  rules: {
    'no-restricted-imports': [
      'error',
      {
        patterns: [
          {
            group: WEB_FEATURES.filter((other) => other !== feature).map((other) => `../${other}/*`),
            message: 'A web feature may not import another feature: move what both need to api/, app/ or autosave/.',
          },
        ],
      },
    ],
  },
});

export default tseslint.config(
  { ignores: ['dist/**', 'web/dist/**', 'node_modules/**', 'web/.dist-*/**', 'data/**', 'bench/results/**'] },
  {
    files: ['**/*.{ts,tsx}'],
    extends: [tseslint.configs.base],
    languageOptions: {
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
    },
    rules: {
      // node:test's describe/it return promises the runner itself awaits.
      '@typescript-eslint/no-floating-promises': [
        'error',
        { allowForKnownSafeCalls: [{ from: 'package', package: 'node:test', name: ['describe', 'it', 'test', 'suite', 'before', 'after', 'beforeEach', 'afterEach'] }] },
      ],
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
  {
    files: ['web/src/**/*.{ts,tsx}'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      'react-hooks/rules-of-hooks': 'error',
      'react-hooks/exhaustive-deps': 'error',
    },
  },
  ...['db', 'http', 'metrics', 'limits'].map(lowerLayer),
  ...WEB_FEATURES.map(webFeature),
);
