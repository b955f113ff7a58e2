/**
 * Tests run TypeScript through SWC (fast, no type check); `tsc --noEmit` in `npm test` type-checks.
 * marked ships only ES modules, which Jest's CommonJS runtime cannot load, so SWC transforms it too.
 */
module.exports = {
  testEnvironment: 'node',
  roots: ['<rootDir>/tests'],
  testMatch: ['**/*.test.ts'],
  transform: { '^.+\\.(ts|js)$': ['@swc/jest', { jsc: { target: 'es2022' }, module: { type: 'commonjs' } }] },
  transformIgnorePatterns: ['/node_modules/(?!marked/)'],
  // PDFs and browser journeys take seconds each, more on a machine shared with other work.
  testTimeout: 30_000,
  watchman: false,
};
