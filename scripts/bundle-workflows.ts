import * as fs from 'node:fs';
import { bundleWorkflowCode } from '@temporalio/worker';
import { WORKFLOW_BUNDLE_PATH, workflowBundleOptions } from '@bianzhi/workflows/bundle';

// Prebuilds the workflow bundle for production workers. A failed bundle fails the build (exit 1).
bundleWorkflowCode(workflowBundleOptions())
  .then(({ code }) => {
    fs.writeFileSync(WORKFLOW_BUNDLE_PATH, code);
    console.log(`workflow bundle written to ${WORKFLOW_BUNDLE_PATH} (${code.length} bytes)`);
  })
  .catch((err) => {
    console.error('workflow bundle failed:', err);
    process.exit(1);
  });
