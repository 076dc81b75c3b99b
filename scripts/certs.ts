import * as path from 'node:path';
import { ensureTemporalCerts } from '@bianzhi/dev-services';

// `npm run certs -- DIR [HOST…]`: the CA, the Temporal server's and the app's certificates for mTLS between the
// app and Temporal (docker/compose.yaml mounts DIR; README, "Production"). Kept when present and valid for
// another 30 days, so running it again renews only what expires. HOSTs: further names the server is reached by.
const [dir, ...hosts] = process.argv.slice(2);
if (!dir) {
  console.error('usage: npm run certs -- DIR [HOST…]');
  process.exit(2);
}
const certs = ensureTemporalCerts(path.resolve(dir), hosts);
console.log(
  `certificates in ${certs.dir}: ca.pem (for all), server/ (the Temporal server only), client/ (the app, the UI), ` +
    `ca/ (the CA's key: keep it offline); server name ${certs.serverName}`,
);
