import type { FileUnwritableData } from '../faults/state-file-unwritable.ts';
import type { OutputLineData, OutputScanData } from '../faults/target-output-scan.ts';
import type { HistoryEvent } from '../history/types.ts';
import { secs, unknown } from './compose.ts';
import type { Checker, CheckResult, Violation } from './types.ts';

const DEFAULT_LOSS = 'lost|dropped|discarded|not (?:written|delivered|saved)';

interface Outage {
  instance: string;
  file: string;
  start: HistoryEvent;
  end: HistoryEvent | undefined;
}

/**
 * Alerts the bot raises while its alert file cannot be written are not lost without a word:
 * 000_2ae31cbfe79758d1.txt#E-L6, an event logger that "clears its pending batch on a write error,
 * losing events"; acceptance "move items back to queue on error, or log count of lost items".
 * While a `state-file-unwritable` fault holds the bot's alert file (a directory in its path), every
 * alert the bot announces (its `alert` probe) must, by the end of the window, either be in that
 * file (found by its text in the lines a target-output-scan recorded after the file came back), or
 * be accounted for in another scanned file: a line that names it (its text) as lost, or a line
 * that counts the losses (a number next to a `loss` word, lossCounts, at least the count of missing alerts).
 * Evidence: [the first alert missing, the file.unwritable, the scan that did not find it].
 *
 * Unknown when no alert file was made unwritable, when the bot raised no alert while it was (nothing
 * was at risk), or when no scan that covers the file ran after it was writable again, or a scan
 * recorded fewer lines than matched (maxLines) and the alert was not among them.
 * Option: loss (regular expression of loss words, default lost|dropped|discarded|not written/delivered/saved).
 */
export const alertsSurviveSinkOutage: Checker = {
  name: 'alerts-survive-sink-outage',
  description:
    'Alerts raised while the bot’s alert file is unwritable reach the file once it is writable again, or their loss is logged (by text or with a count)',
  findings: ['000_2ae31cbfe79758d1.txt#E-L6'],
  requires: ['alerts'],
  check(history, ctx): CheckResult {
    const rawLoss = ctx.options.loss ?? DEFAULT_LOSS;
    if (typeof rawLoss !== 'string') throw new TypeError('check option loss must be a regular expression string');
    const loss = new RegExp(rawLoss, 'i');
    const stats = { outages: 0, alertsAtRisk: 0, kept: 0, reportedLost: 0, missing: 0 };

    const outages: Outage[] = [];
    const alerts: HistoryEvent[] = [];
    const scans: HistoryEvent[] = [];
    const lines: HistoryEvent[] = [];
    for (const e of history) {
      if (e.instance === undefined) continue;
      if (e.src === 'fault' && e.type === 'file.unwritable')
        outages.push({ instance: e.instance, file: (e.data as unknown as FileUnwritableData).file, start: e, end: undefined });
      else if (e.src === 'fault' && e.type === 'file.writable') {
        const file = (e.data as unknown as FileUnwritableData).file;
        const o = outages.find((x) => x.instance === e.instance && x.file === file && x.end === undefined);
        if (o) o.end = e;
      } else if (e.src === 'target' && e.type === 'probe' && e.data.probe === 'alert') alerts.push(e);
      else if (e.src === 'fault' && e.type === 'output.scan') scans.push(e);
      else if (e.src === 'fault' && e.type === 'output.line') lines.push(e);
    }
    stats.outages = outages.length;
    if (outages.length === 0) return unknown('no alert file was made unwritable (fault state-file-unwritable)', stats);

    const violations: Violation[] = [];
    const notes: string[] = [];
    let judged = 0;
    for (const o of outages) {
      const endT = o.end?.t ?? Number.POSITIVE_INFINITY;
      const atRisk = alerts.filter((a) => a.instance === o.instance && a.t >= o.start.t && a.t <= endT);
      stats.alertsAtRisk += atRisk.length;
      if (atRisk.length === 0) {
        notes.push(`${o.instance} raised no alert while ${o.file} was unwritable: nothing was at risk`);
        continue;
      }
      // The first scan after the outage that read the file (as state/<path inside STATE_DIR>).
      let scan: HistoryEvent | undefined;
      let eventFile: string | undefined;
      for (const s of scans) {
        if (s.instance !== o.instance || s.t < endT) continue;
        eventFile = scannedName(s.data as unknown as OutputScanData, o.file);
        if (eventFile !== undefined) {
          scan = s;
          break;
        }
      }
      if (!scan) {
        notes.push(`no target-output-scan of ${o.instance} read ${o.file} after it was writable again`);
        continue;
      }
      const data = scan.data as unknown as OutputScanData;
      const scanned = lines.filter((l) => l.instance === o.instance && l.data.id === data.id).map((l) => l.data as unknown as OutputLineData);
      const inFile = scanned.filter((l) => l.file === eventFile).map((l) => l.text);
      const elsewhere = scanned.filter((l) => l.file !== eventFile && loss.test(l.text)).map((l) => l.text);
      const missing = atRisk.filter((a) => !inFile.some((t) => t.includes(String(a.data.text))));
      stats.kept += atRisk.length - missing.length;
      const named = missing.filter((a) => elsewhere.some((t) => t.includes(String(a.data.text))));
      const counted = elsewhere.some((t) => lossCounts(t, rawLoss).some((n) => n >= missing.length));
      const unaccounted = counted ? [] : missing.filter((a) => !named.includes(a));
      stats.reportedLost += missing.length - unaccounted.length;
      if (unaccounted.length === 0) {
        judged++;
        continue;
      }
      if (data.matched > data.maxLines) {
        notes.push(`the scan of ${o.instance} matched ${data.matched} lines but recorded ${data.maxLines}: the missing alerts may be among the rest`);
        continue;
      }
      judged++;
      stats.missing += unaccounted.length;
      const first = unaccounted[0] as HistoryEvent;
      violations.push({
        t: first.t,
        instance: o.instance,
        message:
          `${o.instance} raised ${atRisk.length} alert(s) while ${o.file} was unwritable (${secs(o.start.t)}..${o.end ? secs(o.end.t) : 'the end'}): ` +
          `${unaccounted.length} never reached it (${inFile.length} line(s) there at ${secs(scan.t)}) and no log line reports them lost, ` +
          `first "${String(first.data.kind)}: ${String(first.data.text)}" at ${secs(first.t)}`,
        evidence: [first.seq, o.start.seq, scan.seq],
      });
    }
    if (violations.length > 0) return { valid: false, violations, notes, stats };
    if (judged === 0) return { ...unknown(notes[0] ?? 'no outage could be judged', stats), notes };
    return {
      valid: true,
      violations: [],
      notes: [...notes, `${stats.kept} alert(s) kept, ${stats.reportedLost} reported lost, of ${stats.alertsAtRisk} at risk`],
      stats,
    };
  },
};

/** The scan's name (`state/<name>`) for the file at `path`, when the scan read it. */
function scannedName(scan: OutputScanData, path: string): string | undefined {
  return scan.files.find((f) => f.file.startsWith('state/') && path.endsWith(`/${f.file.slice('state/'.length)}`))?.file;
}

/**
 * The numbers a log line gives as losses: a number at most three words before a loss word in
 * the same clause ("2 alert(s) lost", "3 dropped") or right after one ("lost: 2", "dropped 3").
 * "2 written, 0 lost" gives 0; "wrote 12 lines, nothing lost" gives nothing.
 */
export function lossCounts(line: string, loss: string): number[] {
  // Within one clause: only spaces and brackets between the number, up to three words, and the loss word.
  const re = new RegExp(`(?<![\\w.])(\\d+)(?:[\\s()]+\\w+){0,3}?[\\s()]+(?:${loss})|(?:${loss})[\\s:=]{1,3}(\\d+)(?![\\w.])`, 'gi');
  return [...line.matchAll(re)].map((m) => Number(m[1] ?? m[2]));
}
