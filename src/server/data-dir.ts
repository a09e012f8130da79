// The Node server's data directory: the SQLite file, TLS material, the admin token and the kubeconfig.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

export function ensureDataDir(dir: string) {
  mkdirSync(dir, { recursive: true });
}

/** The admin bearer token, created once. */
export function ensureAdminToken(dir: string): string {
  const path = join(dir, 'admin-token');
  if (existsSync(path)) return readFileSync(path, 'utf8').trim();
  const token = randomBytes(32).toString('base64url');
  writeFileSync(path, token + '\n', { mode: 0o600 });
  return token;
}
