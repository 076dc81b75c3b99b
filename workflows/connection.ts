import * as fs from 'node:fs';
import type { TLSConfig } from '@temporalio/client';

// mTLS between the app and the Temporal server (docs/architecture.md, "Temporal"): the API's client, the worker,
// the replay and the tools present a client certificate signed by the cluster's CA and check the server's.
// Runs in Node, outside the workflow sandbox. Without TEMPORAL_TLS_CA_FILE the connection is plain (the dev
// server of `npm start`, which listens on 127.0.0.1 only).

export interface TemporalTlsEnv {
  TEMPORAL_TLS_CA_FILE?: string;
  TEMPORAL_TLS_CERT_FILE?: string;
  TEMPORAL_TLS_KEY_FILE?: string;
  TEMPORAL_TLS_SERVER_NAME?: string;
}

/** The `tls` option of Connection.connect / NativeConnection.connect, or undefined for a plain connection. */
export function temporalTlsFromEnv(env: TemporalTlsEnv = process.env): TLSConfig | undefined {
  const { TEMPORAL_TLS_CA_FILE: ca, TEMPORAL_TLS_CERT_FILE: cert, TEMPORAL_TLS_KEY_FILE: key } = env;
  if (!ca && !cert && !key) return undefined;
  if (!ca) throw new Error('TEMPORAL_TLS_CA_FILE is required with TEMPORAL_TLS_CERT_FILE/TEMPORAL_TLS_KEY_FILE');
  if (!cert !== !key) throw new Error('TEMPORAL_TLS_CERT_FILE and TEMPORAL_TLS_KEY_FILE go together');
  return {
    serverRootCACertificate: fs.readFileSync(ca),
    ...(cert && key ? { clientCertPair: { crt: fs.readFileSync(cert), key: fs.readFileSync(key) } } : {}),
    ...(env.TEMPORAL_TLS_SERVER_NAME ? { serverNameOverride: env.TEMPORAL_TLS_SERVER_NAME } : {}),
  };
}

/** Address, TLS and the rest of what every process needs to reach Temporal, from the environment. */
export function temporalConnectionFromEnv(env: TemporalTlsEnv & { TEMPORAL_ADDRESS?: string } = process.env) {
  return { address: env.TEMPORAL_ADDRESS ?? 'localhost:7233', tls: temporalTlsFromEnv(env) };
}
