import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { basename, join } from 'node:path';
import { abortReason } from '../../core/abort.ts';
import { ConfigError, RuntimeFailure } from '../../core/errors.ts';

/** The image a target folder builds to: one tag per target, reused across runs (the layer cache makes rebuilds quick). */
export function targetImageName(dir: string): string {
  return `faultline-target/${basename(dir)
    .toLowerCase()
    .replace(/[^a-z0-9._-]/g, '-')}:latest`;
}

/**
 * Builds the target's image from the Dockerfile in its folder (its .dockerignore applies) with the
 * docker CLI's classic builder, which caches layers without a buildx plugin. The image is labelled
 * as Faultline's so `docker image prune --filter label=faultline.managed=image` finds old builds.
 */
export async function buildTargetImage(dir: string, timeoutMs: number, signal: AbortSignal): Promise<{ image: string; ms: number }> {
  if (!existsSync(join(dir, 'Dockerfile'))) {
    throw new ConfigError(
      `target folder ${dir} has no Dockerfile; the containers runtime builds the target from it`,
      'add one (see targets/refbot/Dockerfile), or use --runtime local',
    );
  }
  const image = targetImageName(dir);
  const started = performance.now();
  const args = ['build', '-q', '--force-rm', '--label', 'faultline.managed=image', '--label', `faultline.target=${basename(dir)}`, '-t', image, dir];
  const child = spawn('docker', args, { env: { ...process.env, DOCKER_BUILDKIT: '0' }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (d) => {
    output += d;
  });
  child.stderr.on('data', (d) => {
    output += d;
  });
  const kill = () => child.kill('SIGKILL');
  const timer = setTimeout(kill, timeoutMs);
  signal.addEventListener('abort', kill, { once: true });
  try {
    const code = await new Promise<number | null>((resolve, reject) => {
      child.once('error', reject);
      child.once('close', resolve);
    });
    if (signal.aborted) throw abortReason(signal);
    if (code !== 0) {
      const tail = output.split('\n').slice(-20).join('\n');
      throw new RuntimeFailure(`target image build failed (docker build ${dir}, exit ${code})\n${tail}`);
    }
  } finally {
    clearTimeout(timer);
    signal.removeEventListener('abort', kill);
  }
  return { image, ms: Math.round(performance.now() - started) };
}
