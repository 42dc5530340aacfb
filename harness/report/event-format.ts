import type { HistoryEvent } from '../history/types.ts';

function value(v: unknown): string {
  if (typeof v === 'string') return /^[\w.:/@#+-]*$/.test(v) && v !== '' ? v : JSON.stringify(v);
  return JSON.stringify(v);
}

/**
 * One history event as one readable line, for evidence lists:
 * `#92  t=8.636s  venue order.new  bot-1  side=BUY qty=0.016 …`. Lossless enough to find the
 * raw line in history.jsonl by its seq.
 */
export function formatEvent(e: HistoryEvent): string {
  const data = Object.entries(e.data)
    .map(([k, v]) => `${k}=${value(v)}`)
    .join(' ');
  return [`#${e.seq}`, `t=${(e.t / 1000).toFixed(3)}s`, `${e.src} ${e.type}`, e.instance ?? '', data].filter((x) => x !== '').join('  ');
}
