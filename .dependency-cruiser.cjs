// The arrows that may exist between the parts (docs/architecture.md); `npm run lint:boundaries` checks them
// and `npm test` runs it. A forbidden import fails the build, whoever wrote it.
/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'workflow-sandbox',
      comment:
        'Workflow code runs in the deterministic sandbox: only @temporalio/workflow, @temporalio/common, ' +
        'the pure domain library and its own files.',
      severity: 'error',
      from: { path: '^workflows/src/' },
      to: {
        pathNot: ['^workflows/src/', '^libs/domain/src/', '(^|/)node_modules/@temporalio/(workflow|common)/'],
        dependencyTypesNot: ['type-only'],
      },
    },
    {
      name: 'workflow-no-node-builtins',
      comment: 'No Node built-in in workflow code, not even as a type.',
      severity: 'error',
      from: { path: '^workflows/src/' },
      to: { dependencyTypes: ['core'] },
    },
    {
      name: 'workflow-types-from-domain-only',
      comment: 'Types a workflow file names come from the domain library, the Temporal SDK or workflows/src.',
      severity: 'error',
      from: { path: '^workflows/src/' },
      to: {
        dependencyTypes: ['type-only'],
        pathNot: ['^workflows/src/', '^libs/domain/src/', '(^|/)node_modules/@temporalio/(workflow|common)/'],
      },
    },
    {
      name: 'domain-is-pure',
      comment: 'The rules library does no I/O: no database, no framework, no Temporal client, no Node built-in.',
      severity: 'error',
      from: { path: '^libs/domain/src/' },
      to: {
        pathNot: ['^libs/domain/src/'],
      },
    },
    {
      name: 'api-not-worker',
      comment: 'The API and the worker share code through libs and workflows/ only.',
      severity: 'error',
      from: { path: '^apps/api/' },
      to: { path: '^apps/worker/' },
    },
    {
      name: 'worker-not-api',
      severity: 'error',
      from: { path: '^apps/worker/' },
      to: { path: '^apps/api/' },
    },
    {
      name: 'libs-not-apps',
      comment: 'Libraries never import applications, the workflow code or the tools.',
      severity: 'error',
      from: { path: '^libs/' },
      to: { path: '^(apps|workflows|scripts|bench|test)/' },
    },
    {
      name: 'tools-use-libs',
      comment: "The benchmark and the scripts use libs and workflows/, never an application's internals.",
      severity: 'error',
      from: { path: '^(bench|scripts)/' },
      to: { path: '^apps/' },
    },
    {
      name: 'apps-not-tools',
      comment:
        'Applications and libraries do not import tests, the benchmark or the scripts (the workflow tests, ' +
        'tests themselves, find the test server with scripts/temporal-cli.js).',
      severity: 'error',
      from: { path: '^(apps|libs|workflows)/', pathNot: '^workflows/test/' },
      to: { path: '^(test|bench|scripts)/' },
    },
    {
      name: 'web-is-alone',
      comment:
        'The console talks to the API over HTTP only: it imports its own files and its packages, and from the ' +
        "rest of the repository only the domain library's rule-code list (a type).",
      severity: 'error',
      from: { path: '^apps/web/' },
      to: {
        pathNot: ['^apps/web/', '(^|/)node_modules/', '^libs/domain/src/violations\\.ts$'],
        dependencyTypesNot: ['core'],
      },
    },
    {
      name: 'libs-by-package-name',
      comment: 'Other parts reach a library through its package name (@bianzhi/x, its index), never a file inside it.',
      severity: 'error',
      from: { pathNot: ['^libs/', '^apps/web/'] },
      to: { path: '^libs/[^/]+/src/', pathNot: '^libs/[^/]+/src/index\\.ts$' },
    },
    {
      name: 'libs-by-package-name-between-libs',
      comment: 'A library reaches another one through its package name too.',
      severity: 'error',
      from: { path: '^libs/([^/]+)/' },
      to: { path: '^libs/[^/]+/src/', pathNot: ['^libs/$1/', '^libs/[^/]+/src/index\\.ts$'] },
    },
    {
      name: 'workflows-by-contract',
      comment: 'Outside workflows/, the workflow code is known by its contract (@bianzhi/workflows) only.',
      severity: 'error',
      from: { pathNot: '^workflows/' },
      to: { path: '^workflows/src/', pathNot: '^workflows/src/contract\\.ts$' },
    },
    {
      name: 'not-to-unresolvable',
      comment: 'An import that resolves to nothing is a broken build.',
      severity: 'error',
      from: {},
      // temporal-cli.js and temporal-server.js are required from the compiled script's folder (dist/scripts) at run
      // time.
      to: { couldNotResolve: true, pathNot: 'scripts/temporal-(cli|server)\\.js$' },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    exclude: { path: '^(dist|node_modules|\\.tools|apps/web/dist)/' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default'] },
  },
};
