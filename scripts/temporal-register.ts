import { registerNamespace, waitUntilServing } from '@bianzhi/dev-services';
import { SEARCH_ATTRIBUTE_NAMES } from '@bianzhi/workflows';
import { temporalConnectionFromEnv } from '@bianzhi/workflows/connection';

// `npm run temporal:register`: registers the namespace (TEMPORAL_NAMESPACE, retention TEMPORAL_RETENTION_DAYS) and
// the workflows' search attributes on a Temporal server through its operator API, waiting for the server to answer;
// idempotent. docker/compose.yaml runs it once before the API and the worker; start:cluster does the same in-process.
async function main(): Promise<void> {
  const { address, tls } = temporalConnectionFromEnv();
  const connection = await waitUntilServing(address, tls, Number(process.env.TEMPORAL_WAIT_SECONDS ?? 300) * 1000);
  try {
    const namespace = process.env.TEMPORAL_NAMESPACE ?? 'default';
    await registerNamespace(
      connection,
      namespace,
      Number(process.env.TEMPORAL_RETENTION_DAYS ?? 3650),
      SEARCH_ATTRIBUTE_NAMES,
    );
    console.log(`temporal: namespace ${namespace} and ${SEARCH_ATTRIBUTE_NAMES.join(', ')} registered at ${address}`);
  } finally {
    await connection.close();
  }
}

main().catch((err) => {
  console.error('temporal:register failed:', err instanceof Error ? err.message : err);
  process.exit(1);
});
