// Builds dist/node.js once per test run: the end-to-end tests start the server as `npm start` does.
import { execFileSync } from 'node:child_process';

export default function setup() {
  execFileSync(process.execPath, ['scripts/build-node.mjs'], { stdio: 'inherit' });
}
