// The Node server's TLS: a CA and a serving certificate signed by it, generated on first start and
// kept in the data directory (kubectl only sends bearer tokens over https).
import 'reflect-metadata'; // @peculiar/x509's dependency injection needs it loaded first
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const ALGORITHM = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;
const TEN_YEARS_MS = 10 * 365 * 24 * 3600 * 1000;

export interface TlsFiles { caPem: string; certPem: string; keyPem: string }

export async function ensureTls(dir: string, hosts: string[]): Promise<TlsFiles> {
  const paths = { ca: join(dir, 'ca.crt'), cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
  if (existsSync(paths.ca) && existsSync(paths.cert) && existsSync(paths.key)) {
    return { caPem: readFileSync(paths.ca, 'utf8'), certPem: readFileSync(paths.cert, 'utf8'), keyPem: readFileSync(paths.key, 'utf8') };
  }
  const files = await generate(hosts);
  writeFileSync(paths.ca, files.caPem);
  writeFileSync(paths.cert, files.certPem);
  writeFileSync(paths.key, files.keyPem, { mode: 0o600 });
  return files;
}

async function generate(hosts: string[]): Promise<TlsFiles> {
  const notBefore = new Date(Date.now() - 60_000);
  const notAfter = new Date(Date.now() + TEN_YEARS_MS);
  const caKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as CryptoKeyPair;
  const ca = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: randomSerial(),
    name: 'CN=skiff-ca',
    notBefore, notAfter,
    keys: caKeys,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign | x509.KeyUsageFlags.digitalSignature, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const serverKeys = await webcrypto.subtle.generateKey(ALGORITHM, true, ['sign', 'verify']) as CryptoKeyPair;
  const names = hosts.map(h => (/^[\d.]+$/.test(h) || h.includes(':') ? { type: 'ip' as const, value: h } : { type: 'dns' as const, value: h }));
  const cert = await x509.X509CertificateGenerator.create({
    serialNumber: randomSerial(),
    subject: 'CN=skiff-apiserver',
    issuer: ca.subject,
    notBefore, notAfter,
    signingKey: caKeys.privateKey,
    publicKey: serverKeys.publicKey,
    signingAlgorithm: ALGORITHM,
    extensions: [
      new x509.BasicConstraintsExtension(false, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature | x509.KeyUsageFlags.keyEncipherment, true),
      new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
      new x509.SubjectAlternativeNameExtension(names),
      await x509.AuthorityKeyIdentifierExtension.create(caKeys.publicKey),
    ],
  });
  const pkcs8 = await webcrypto.subtle.exportKey('pkcs8', serverKeys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  return { caPem: ca.toString('pem') + '\n', certPem: cert.toString('pem') + '\n', keyPem: keyPem + '\n' };
}

function randomSerial(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] &= 0x7f; // a positive serial number
  return Buffer.from(bytes).toString('hex');
}
