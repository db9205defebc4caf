import type { MetricsPoint } from '../api/types';

const NAMES = ['clarity', 'action', 'momentum'] as const;

/** The latest clarity, action and momentum (0–100) as three meters. */
export function Gauges({ latest }: { latest: MetricsPoint | null }) {
  return (
    <div className="gauges">
      {NAMES.map((name) => (
        <div className="gauge" key={name}>
          <label htmlFor={`gauge-${name}`}>{name[0]!.toUpperCase() + name.slice(1)}</label>
          <meter id={`gauge-${name}`} min={0} max={100} low={34} high={67} optimum={100} value={latest?.[name] ?? 0} />
          <span>{latest ? `${latest[name]} / 100` : 'no data yet'}</span>
        </div>
      ))}
    </div>
  );
}

const WIDTH = 300;
const HEIGHT = 120;
const COLORS = { clarity: '#1d4ed8', action: '#166534', momentum: '#9a3412' };

/** The three metrics over time, oldest to newest, as an inline SVG line plot. */
export function TrendPlot({ history }: { history: MetricsPoint[] }) {
  const points = [...history].reverse();
  if (points.length < 2) return <p className="hint">The trend appears after two or more replies.</p>;
  const x = (i: number) => (i / (points.length - 1)) * (WIDTH - 10) + 5;
  const y = (value: number) => HEIGHT - 5 - (value / 100) * (HEIGHT - 10);
  const latest = points[points.length - 1]!;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="trend-title">
        <title id="trend-title">
          {`Trend over the last ${points.length} replies: clarity ${latest.clarity}, action ${latest.action}, momentum ${latest.momentum} now`}
        </title>
        {NAMES.map((name) => (
          <polyline
            key={name}
            fill="none"
            stroke={COLORS[name]}
            strokeWidth={2}
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(p[name]).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        {NAMES.map((name) => (
          <span key={name} className={`legend legend-${name}`}>
            {name}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
