import { execFileSync } from 'node:child_process';

/** The Jenkins JUnit schema committed beside the reporter (source and licence in its header). */
export const JUNIT_XSD = new URL('./schema/junit-10.xsd', import.meta.url).pathname;

/**
 * Validates an XML file with `xmllint --schema` (libxml2-utils, installed by `npm run provision`).
 * Used by the tests to hold junit.xml to the schema CI viewers expect.
 */
export function xmllintSchema(file: string, xsd = JUNIT_XSD): { ok: boolean; output: string } {
  try {
    const output = execFileSync('xmllint', ['--noout', '--schema', xsd, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
    return { ok: true, output };
  } catch (err) {
    return { ok: false, output: String((err as { stderr?: string }).stderr ?? err) };
  }
}
