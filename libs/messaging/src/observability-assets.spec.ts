import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { metricsRegistry } from '@postrade/platform';
import './index'; // every metric of the messaging library (outbox, consumers, dead letters, parking) registers on import

const dir = join(__dirname, '..', '..', '..', 'deploy', 'observability');
/** Series Prometheus derives from a histogram or counter, named after the metric they come from. */
const DERIVED = /_(bucket|count|sum)$/;

/** Every `postrade_*` or `http_server_*` series an expression names. */
function metricNames(expressions: string[]): string[] {
  return [...new Set(expressions.flatMap((e) => e.match(/\b(postrade|http_server)_[a-z_]+\b/g) ?? []))].sort();
}

function registered(name: string): boolean {
  return metricsRegistry.getSingleMetric(name) !== undefined || (DERIVED.test(name) && metricsRegistry.getSingleMetric(name.replace(DERIVED, '')) !== undefined);
}

describe('the Grafana dashboard and alert rules in deploy/observability', () => {
  const alerts = parse(readFileSync(join(dir, 'alerts.yml'), 'utf8')) as { groups: { rules: { alert: string; expr: string }[] }[] };
  const dashboard = JSON.parse(readFileSync(join(dir, 'grafana-dashboard.json'), 'utf8')) as {
    panels: { title: string; targets: { expr: string }[] }[];
    templating: { list: { query?: unknown }[] };
  };
  const alertExpressions = alerts.groups.flatMap((g) => g.rules.map((r) => r.expr));
  const dashboardExpressions = [
    ...dashboard.panels.flatMap((p) => p.targets.map((t) => t.expr)),
    ...dashboard.templating.list.map((v) => v.query).filter((q): q is string => typeof q === 'string'),
  ];

  it('name only metrics the code registers', () => {
    const names = metricNames([...alertExpressions, ...dashboardExpressions]);
    expect(names.length).toBeGreaterThan(10);
    expect(names.filter((name) => !registered(name))).toEqual([]);
  });

  it('cover the failure metrics of the messaging layer', () => {
    const alerted = metricNames(alertExpressions);
    const shown = metricNames(dashboardExpressions);
    for (const name of [
      'postrade_outbox_backlog',
      'postrade_outbox_oldest_unsent_age_seconds',
      'postrade_outbox_parked_rows',
      'postrade_outbox_relay_leader',
      'postrade_dead_letters_pending',
      'postrade_consumer_partitions_waiting',
      'postrade_consumer_partition_waiting_since_seconds',
      'postrade_consumer_lag',
    ]) {
      expect({ name, shown: shown.includes(name) }).toEqual({ name, shown: true });
      expect({ name, alerted: alerted.includes(name) }).toEqual({ name, alerted: true });
    }
  });

  it('give every alert a name, a severity and a summary', () => {
    const rules = alerts.groups.flatMap((g) => g.rules) as { alert: string; expr: string; labels?: { severity?: string }; annotations?: { summary?: string } }[];
    expect(rules.filter((r) => !r.alert || !r.expr || !r.labels?.severity || !r.annotations?.summary).map((r) => r.alert)).toEqual([]);
  });
});
