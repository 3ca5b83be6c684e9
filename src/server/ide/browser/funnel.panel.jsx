// The admins' funnel panel: a GraphiQL plugin drawing the latest `activationDashboard` answer (funnel of the
// four statuses, the three rates, revenue by status, the signup months) instead of leaving it as raw JSON.
// Bars are plain CSS widths: nothing is fetched or drawn from outside the bundle.
import { useSyncExternalStore } from 'react';
import { funnelFigures } from './funnel.figures.js';

function FunnelIcon() {
  return (
    <svg viewBox="0 0 24 24" width="1em" height="1em" fill="none" stroke="currentColor" strokeWidth="1.5" aria-hidden="true">
      <path d="M3 4h18l-7 8v6l-4 2v-8z" strokeLinejoin="round" />
    </svg>
  );
}

function StatusBar({ row }) {
  return (
    <span className="funnel-stack-part" data-status={row.key} style={{ width: `${row.width * 100}%` }} title={`${row.label}: ${row.count} (${row.share})`} />
  );
}

function Figures({ dashboard, variables }) {
  const figures = funnelFigures(dashboard, variables);
  return (
    <div className="funnel" data-testid="funnel">
      <p className="funnel-meta">
        As of <span data-testid="funnel-as-of">{figures.asOf}</span>
      </p>
      {figures.signupFrom || figures.signupTo ? (
        <p className="funnel-meta" data-testid="funnel-cohort">
          Signed up {figures.signupFrom ? `from ${figures.signupFrom}` : ''}
          {figures.signupFrom && figures.signupTo ? ' ' : ''}
          {figures.signupTo ? `${figures.signupFrom ? 'until' : 'before'} ${figures.signupTo}` : ''}
        </p>
      ) : null}

      <h3>
        Customers{' '}
        <span className="funnel-total" data-testid="funnel-total">
          {figures.total}
        </span>
      </h3>
      <ol className="funnel-steps">
        {figures.statuses.map((row) => (
          <li key={row.key} className="funnel-step" data-testid={`funnel-status-${row.key}`}>
            <span className="funnel-label">{row.label}</span>
            <span className="funnel-count" data-testid="count">
              {row.count}
            </span>
            <span className="funnel-share" data-testid="share">
              {row.share}
            </span>
            {/* Centred bars, each as wide as its share: the funnel's shape. */}
            <span className="funnel-track">
              <span className="funnel-bar" data-status={row.key} style={{ width: `${Math.max(row.width * 100, 0.5)}%` }} />
            </span>
          </li>
        ))}
      </ol>

      <h3>Conversion</h3>
      <dl className="funnel-rates">
        {figures.rates.map((rate) => (
          <div key={rate.key} className="funnel-rate" data-testid={`funnel-rate-${rate.key}`} title={rate.hint}>
            <dt>{rate.label}</dt>
            <dd data-testid="value">{rate.value}</dd>
          </div>
        ))}
      </dl>

      <h3>Revenue by status (delivered orders)</h3>
      <table className="funnel-table">
        <tbody>
          {figures.revenue.map((row) => (
            <tr key={row.key} data-testid={`funnel-revenue-${row.key}`}>
              <th scope="row">{row.label}</th>
              <td data-testid="value">{row.value}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr data-testid="funnel-revenue-total">
            <th scope="row">Total</th>
            <td data-testid="value">{figures.revenueTotal}</td>
          </tr>
        </tfoot>
      </table>

      {figures.months ? (
        <>
          <h3>By month of signup (IST)</h3>
          <table className="funnel-table funnel-months" data-testid="funnel-months">
            <thead>
              <tr>
                <th scope="col">Month</th>
                <th scope="col">Total</th>
                {figures.statuses.map((row) => (
                  <th key={row.key} scope="col">
                    {row.label}
                  </th>
                ))}
              </tr>
            </thead>
            {figures.months.map((month) => (
              <tbody key={month.month}>
                <tr data-testid={`funnel-month-${month.month}`}>
                  <th scope="row">{month.label}</th>
                  <td data-testid="total">{month.total}</td>
                  {month.statuses.map((row) => (
                    <td key={row.key} data-testid={row.key} title={row.share}>
                      {row.count}
                    </td>
                  ))}
                </tr>
                <tr className="funnel-stack-row" aria-hidden="true">
                  <td colSpan={2 + month.statuses.length}>
                    <span className="funnel-stack">
                      {month.statuses.map((row) => (
                        <StatusBar key={row.key} row={row} />
                      ))}
                    </span>
                  </td>
                </tr>
              </tbody>
            ))}
          </table>
          {figures.months.length === 0 ? <p className="funnel-empty">No customers signed up in this range.</p> : null}
        </>
      ) : null}
    </div>
  );
}

/** The plugin for GraphiQL's `plugins` prop, reading answers from `latest` (see dashboard.answer.ts). */
export function createFunnelPlugin(latest) {
  function FunnelPanel() {
    const answer = useSyncExternalStore(latest.subscribe, latest.current);
    return (
      <section className="funnel-panel" aria-label="Activation funnel">
        <div className="graphiql-doc-explorer-title">Activation funnel</div>
        {answer.kind === 'figures' ? <Figures dashboard={answer.dashboard} variables={answer.variables} /> : null}
        {answer.kind === 'problem' ? (
          <p className="funnel-empty" role="status" data-testid="funnel-problem">
            The last ActivationDashboard run returned no figures: {answer.message}
          </p>
        ) : null}
        {answer.kind === 'none' ? (
          <p className="funnel-empty" data-testid="funnel-empty">
            Sign in as an admin and run the ActivationDashboard tab: its answer is drawn here.
          </p>
        ) : null}
      </section>
    );
  }
  return { title: 'Activation funnel', icon: FunnelIcon, content: FunnelPanel };
}
