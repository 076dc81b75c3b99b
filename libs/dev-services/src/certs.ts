import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The certificates of mTLS between the app and the Temporal server (docs/architecture.md, "Temporal"): one CA of
// the deployment, the server's certificate (frontend and internode: the server's own services present it to each
// other as clients too) and the app's client certificate (the API, the worker, the tools). Made with the openssl
// command (OpenSSL 3, on every Debian and in the node image), ECDSA P-256; keys 0600. `npm run certs -- DIR`
// (scripts/certs.ts) makes them for docker/compose.yaml; start:cluster makes its own in DATA_DIR.

export interface TemporalCerts {
  dir: string;
  ca: string;
  serverCert: string;
  serverKey: string;
  clientCert: string;
  clientKey: string;
  /** The name the server's certificate is for, as clients check it (TEMPORAL_TLS_SERVER_NAME). */
  serverName: string;
}

const SERVER_NAME = 'temporal';
/** Leaf certificates are made again this long before they expire. */
const RENEW_BEFORE_SECONDS = 30 * 86_400;

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
}

function valid(cert: string, dir: string): boolean {
  if (!fs.existsSync(cert)) return false;
  try {
    openssl(['x509', '-checkend', String(RENEW_BEFORE_SECONDS), '-noout', '-in', cert], dir);
    openssl(['verify', '-CAfile', 'ca.pem', cert], dir);
    return true;
  } catch {
    return false;
  }
}

function leaf(dir: string, name: string, subject: string, ext: string): void {
  const key = `${name}-key.pem`;
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', key], dir);
  fs.chmodSync(path.join(dir, key), 0o600);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', `${name}.csr`], dir);
  fs.writeFileSync(path.join(dir, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca-key.pem',
      '-CAcreateserial',
      '-days',
      '397',
      '-sha256',
      '-extfile',
      `${name}.ext`,
      '-out',
      `${name}.pem`,
    ],
    dir,
  );
  fs.rmSync(path.join(dir, `${name}.csr`));
  fs.rmSync(path.join(dir, `${name}.ext`));
}

/**
 * Makes (or keeps, when present and valid for another 30 days) the CA, the server's and the app's certificates in
 * `dir`. `hosts` are the names and addresses the server is reached by, besides `temporal`, localhost and 127.0.0.1.
 */
export function ensureTemporalCerts(dir: string, hosts: string[] = []): TemporalCerts {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  const certs: TemporalCerts = {
    dir,
    ca: path.join(dir, 'ca.pem'),
    serverCert: path.join(dir, 'server.pem'),
    serverKey: path.join(dir, 'server-key.pem'),
    clientCert: path.join(dir, 'client.pem'),
    clientKey: path.join(dir, 'client-key.pem'),
    serverName: SERVER_NAME,
  };
  if (!fs.existsSync(certs.ca)) {
    openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', 'ca-key.pem'], dir);
    fs.chmodSync(path.join(dir, 'ca-key.pem'), 0o600);
    openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'ca-key.pem',
        '-sha256',
        '-days',
        '3650',
        '-subj',
        '/O=Bianzhi Flow/CN=Bianzhi Flow Temporal CA',
        '-addext',
        'basicConstraints=critical,CA:TRUE',
        '-addext',
        'keyUsage=critical,keyCertSign,cRLSign',
        '-out',
        'ca.pem',
      ],
      dir,
    );
  }
  const names = [SERVER_NAME, 'localhost', ...hosts.filter((h) => !/^[\d.]+$/.test(h) && !h.includes(':'))];
  const ips = ['127.0.0.1', ...hosts.filter((h) => /^[\d.]+$/.test(h) || h.includes(':'))];
  const san = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP:${ip}`)].join(',');
  if (!valid(certs.serverCert, dir))
    leaf(
      dir,
      'server',
      `/O=Bianzhi Flow/CN=${SERVER_NAME}`,
      // The server's services call each other with this certificate, so it is a client's too.
      [
        'basicConstraints=CA:FALSE',
        'keyUsage=critical,digitalSignature',
        'extendedKeyUsage=serverAuth,clientAuth',
        `subjectAltName=${san}`,
        '',
      ].join('\n'),
    );
  if (!valid(certs.clientCert, dir))
    leaf(
      dir,
      'client',
      '/O=Bianzhi Flow/CN=bianzhi-app',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
  return certs;
}
