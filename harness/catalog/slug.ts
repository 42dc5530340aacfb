/**
 * Stable ids for findings an audit does not number. The slug is a pure function of one verbatim
 * snippet of the audit (the finding's `anchors[0]`): the same text always gives the same slug,
 * and adding or removing other findings never changes it (no counters, no positions).
 */

export const SLUG_MAX_WORDS = 8;

export const SLUG_RULE =
  'anchors[0] (a verbatim snippet of the audit: table cell, bullet or risk text) -> Unicode NFKD, combining marks dropped -> ' +
  'lower case -> split on every run of characters other than a-z and 0-9 -> the first 8 words joined with "-". ' +
  'Audit ids keep their own spelling (they contain capitals); slugs are all lower case, so the two never clash. ' +
  'Two findings of one audit with the same slug are a catalog error, not renumbered.';

export function slugify(text: string, maxWords = SLUG_MAX_WORDS): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean)
    .slice(0, maxWords)
    .join('-');
}

/** True for a local id that is a slug (all lower case); audit ids carry capitals (E-C1, R3, C-PORT-01). */
export function isSlugId(localId: string): boolean {
  return /^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(localId);
}
