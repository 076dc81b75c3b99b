// Three tiers (STYLE.md): pure unit tests (libs/**/test), and integration / end-to-end tests under test/
// that run against the real PostgreSQL and Temporal started once by test/setup/global-setup.ts.
const swc = [
  '@swc/jest',
  {
    jsc: {
      parser: { syntax: 'typescript', decorators: true },
      transform: { legacyDecorator: true, decoratorMetadata: true },
      target: 'es2022',
      keepClassNames: true,
    },
    module: { type: 'commonjs' },
    sourceMaps: 'inline',
  },
];
// The package names of tsconfig.json's paths (the build rewrites them with tsc-alias; jest runs the sources).
const moduleNameMapper = {
  '^@bianzhi/workflows/bundle$': '<rootDir>/workflows/bundle',
  '^@bianzhi/workflows/codec$': '<rootDir>/workflows/codec',
  '^@bianzhi/workflows/connection$': '<rootDir>/workflows/connection',
  '^@bianzhi/workflows$': '<rootDir>/workflows/src/contract',
  '^@bianzhi/(domain|persistence|audit|auth|dev-services|documents)$': '<rootDir>/libs/$1/src',
};
const common = {
  transform: { '^.+\\.ts$': swc },
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper,
};
module.exports = {
  testTimeout: 120000,
  projects: [
    {
      ...common,
      displayName: 'unit',
      testMatch: [
        '<rootDir>/libs/**/test/**/*.spec.ts',
        '<rootDir>/workflows/test/**/*.spec.ts',
        '<rootDir>/test/architecture/**/*.spec.ts',
      ],
    },
    {
      ...common,
      displayName: 'e2e',
      testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
      globalSetup: '<rootDir>/test/setup/global-setup.ts',
      globalTeardown: '<rootDir>/test/setup/global-teardown.ts',
    },
  ],
};
