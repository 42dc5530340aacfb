import { describe, expect, it } from 'vitest';
import { renderHtml } from './html.ts';
import { renderMarkdown } from './markdown.ts';
import { summarizeHistory } from './rebuild.ts';
import { SCENARIO, syntheticRun } from './test-fixtures.ts';

const ctx = { scenarios: new Map([[SCENARIO.id, SCENARIO]]), capabilities: ['ws-market'] };

describe('report.html', () => {
  const { events, staleOrder } = syntheticRun();
  const summary = summarizeHistory(events, ctx);
  const html = renderHtml({ summary, events });

  it('is self-contained: uPlot inline, no external scripts, styles, fonts or images', () => {
    expect(html).toContain('var uPlot=');
    expect(html).not.toMatch(/<(script|link|img)[^>]+(src|href)=/i);
    expect(html).not.toMatch(/@import|url\(\s*['"]?https?:/i);
    expect(html).toMatch(/Content-Security-Policy" content="default-src 'none'/);
  });

  it('has a finding scorecard linked to the scenario, the fault band, the violating order and its evidence', () => {
    expect(html).toMatch(/<tr data-finding="000_2ae31cbfe79758d1.txt#S-C2" data-verdict="fail">.*href="#scenario-synthetic"/);
    expect(html).toMatch(/data-lane="faults" data-kind="ws-disconnect" data-fault-id="f1"/);
    expect(html).toContain(`<tr data-seq="${staleOrder}" data-kind="order" data-violating="true"`);
    expect(html).toContain(`<li data-seq="${staleOrder}"><code>#${staleOrder}  t=6.000s  venue order.new  bot-1`);
    // Titles with markup are escaped, not injected.
    expect(html).toContain('Synthetic &lt;stale&gt; &amp; &quot;quoted&quot; scenario');
    expect(html).toContain('npx faultline run synthetic --target refbot');
  });

  it('marks a partial run and says how many events it used', () => {
    const cut = events.filter((e) => e.seq <= staleOrder + 2);
    const partial = renderHtml({ summary: summarizeHistory(cut, ctx), events: cut });
    expect(partial).toContain('data-partial="true"');
    expect(partial).toContain(`uses all ${cut.length} events recorded before that`);
    expect(partial).toContain('Scenarios never started: <code>never-started</code>');
  });

  it('markdown summary names the verdict, the finding and the violation', () => {
    const md = renderMarkdown(summary);
    expect(md).toMatch(/^## Faultline ❌ FAIL: refbot/);
    expect(md).toContain('| `000_2ae31cbfe79758d1.txt#S-C2` | ❌ FAIL |');
    expect(md).toContain(`evidence seq ${staleOrder}`);
  });
});
