import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { EXIT } from '../core/errors.ts';
import { loadScenarios } from '../runner/scenarios.ts';
import { loadTarget, MANIFEST_FILE, targetsRoot } from '../targets/manifest.ts';

export async function listCommand(projectRoot: string, json: boolean): Promise<number> {
  const scenarios = [...(await loadScenarios(projectRoot)).values()];
  const targets = readdirSync(targetsRoot(projectRoot))
    .filter((d) => existsSync(join(targetsRoot(projectRoot), d, MANIFEST_FILE)))
    .sort()
    .map((d) => loadTarget(projectRoot, d).manifest);
  if (json) {
    const out = {
      scenarios: scenarios.map((s) => ({
        id: s.id,
        title: s.title,
        suites: s.suites,
        findings: s.findings,
        requires: s.requires,
        checks: s.checks.map((c) => c.name),
        durationMs: s.durationMs,
      })),
      targets: targets.map((t) => ({ name: t.name, description: t.description, capabilities: t.capabilities, options: t.options })),
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = ['Scenarios:'];
  for (const s of scenarios) {
    lines.push(`  ${s.id}  [${s.suites.join(', ')}]  ${(s.durationMs / 1000).toFixed(0)}s`);
    lines.push(`      ${s.title}`);
    lines.push(`      findings: ${s.findings.join(', ')}`);
    lines.push(`      checks:   ${s.checks.map((c) => c.name).join(', ')}`);
  }
  lines.push('', 'Targets:');
  for (const t of targets) {
    lines.push(`  ${t.name}  ${t.description}`);
    lines.push(`      capabilities: ${t.capabilities.join(', ')}`);
    for (const [k, o] of Object.entries(t.options)) {
      lines.push(`      --target-opt ${k}=${o.values ? o.values.join('|') : '<value>'}  (default ${o.default || '""'})  ${o.description}`);
    }
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}
