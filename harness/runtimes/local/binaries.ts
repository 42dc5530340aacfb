import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ConfigError } from '../../core/errors.ts';

function isExecutable(p: string): boolean {
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    const p = join(dir, name);
    if (dir && isExecutable(p)) return p;
  }
  return undefined;
}

/**
 * Finds a server binary: an explicit environment override, then the project's provisioned copy
 * (.faultline/bin), then PATH. Missing binaries are a configuration problem with a known fix.
 */
export function findBinary(name: string, projectRoot: string, envVar: string): string {
  const explicit = process.env[envVar];
  if (explicit) {
    if (!isExecutable(explicit)) throw new ConfigError(`${envVar}=${explicit} is not an executable file`);
    return explicit;
  }
  const provisioned = join(projectRoot, '.faultline', 'bin', name);
  if (isExecutable(provisioned)) return provisioned;
  const found = onPath(name);
  if (found) return found;
  throw new ConfigError(`${name} not found (looked in ${envVar}, .faultline/bin and PATH)`, 'run `npm run provision` once on this machine');
}
