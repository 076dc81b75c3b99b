import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';

// The certificates of mTLS between the app and the Temporal server (docs/architecture.md, "Topologies"): one CA of
// the deployment, the server's certificate (frontend and internode: the server's own services present it to each
// other as clients too) and the app's client certificate (the API, the worker, the tools). Made with the openssl
// command (OpenSSL 3, on every Debian and in the node image), ECDSA P-256. Laid out so that each service is given
// only its part: `ca.pem` (public, for all), `server/` (the Temporal server only), `client/` (the app, the UI, the
// registration job), and `ca/` with the CA's key, which no service needs (keep it offline once the certificates are
// made). Keys are 0600 from the moment they exist, the folders 0700. `npm run certs -- DIR` (scripts/certs.ts) makes
// them for docker/compose.yaml; start:cluster makes its own in DATA_DIR.

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

/** A private folder (0700, also when it existed before). */
function privateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  fs.chmodSync(dir, 0o700);
}

/** An EC P-256 key written into a file made 0600 first, so that it is never readable by others. */
function newKey(dir: string, file: string): void {
  const p = path.join(dir, file);
  fs.rmSync(p, { force: true });
  fs.writeFileSync(p, '', { mode: 0o600 });
  openssl(['genpkey', '-algorithm', 'EC', '-pkeyopt', 'ec_paramgen_curve:P-256', '-out', file], dir);
}

/** Valid for another 30 days, signed by the CA, and (for the server) naming every name asked for. */
function valid(dir: string, cert: string, names: string[] = []): boolean {
  if (!fs.existsSync(path.join(dir, cert))) return false;
  try {
    openssl(['x509', '-checkend', String(RENEW_BEFORE_SECONDS), '-noout', '-in', cert], dir);
    openssl(['verify', '-CAfile', 'ca.pem', cert], dir);
    if (!names.length) return true;
    const san = openssl(['x509', '-noout', '-ext', 'subjectAltName', '-in', cert], dir);
    return names.every((n) => san.includes(n));
  } catch {
    return false;
  }
}

function leaf(dir: string, name: 'server' | 'client', subject: string, ext: string): void {
  const sub = path.join(dir, name);
  privateDir(sub);
  const key = `${name}/${name}-key.pem`;
  newKey(dir, key);
  openssl(['req', '-new', '-key', key, '-subj', subject, '-out', `${name}/${name}.csr`], dir);
  fs.writeFileSync(path.join(sub, `${name}.ext`), ext);
  openssl(
    [
      'x509',
      '-req',
      '-in',
      `${name}/${name}.csr`,
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca/ca-key.pem',
      '-CAserial',
      'ca/ca.srl',
      '-CAcreateserial',
      '-days',
      '397',
      '-sha256',
      '-extfile',
      `${name}/${name}.ext`,
      '-out',
      `${name}/${name}.pem`,
    ],
    dir,
  );
  fs.rmSync(path.join(sub, `${name}.csr`));
  fs.rmSync(path.join(sub, `${name}.ext`));
}

/**
 * Makes (or keeps, when present, valid for another 30 days and, for the server, naming every host asked for) the CA,
 * the server's and the app's certificates in `dir`. `hosts` are the names and addresses the server is reached by,
 * besides `temporal`, localhost and 127.0.0.1.
 */
export function ensureTemporalCerts(dir: string, hosts: string[] = []): TemporalCerts {
  privateDir(dir);
  const certs: TemporalCerts = {
    dir,
    ca: path.join(dir, 'ca.pem'),
    serverCert: path.join(dir, 'server', 'server.pem'),
    serverKey: path.join(dir, 'server', 'server-key.pem'),
    clientCert: path.join(dir, 'client', 'client.pem'),
    clientKey: path.join(dir, 'client', 'client-key.pem'),
    serverName: SERVER_NAME,
  };
  // A CA without its key (or none) is made afresh, and with it every certificate.
  if (!fs.existsSync(certs.ca) || !fs.existsSync(path.join(dir, 'ca', 'ca-key.pem'))) {
    privateDir(path.join(dir, 'ca'));
    newKey(dir, 'ca/ca-key.pem');
    openssl(
      [
        'req',
        '-x509',
        '-new',
        '-key',
        'ca/ca-key.pem',
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
  const wanted = [...names.map((n) => `DNS:${n}`), ...ips.map((ip) => `IP Address:${ip}`)];
  if (!valid(dir, 'server/server.pem', wanted))
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
  if (!valid(dir, 'client/client.pem'))
    leaf(
      dir,
      'client',
      '/O=Bianzhi Flow/CN=bianzhi-app',
      'basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=clientAuth\n',
    );
  return certs;
}
