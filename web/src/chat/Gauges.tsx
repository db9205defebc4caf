import type { MetricsPoint } from '../api/types';

const NAMES = ['clarity', 'action', 'momentum'] as const;
type Name = (typeof NAMES)[number];

const LABELS: Record<Name, string> = { clarity: 'Clarity', action: 'Action', momentum: 'Momentum' };
/** What each score measures (src/coach/scores.ts), in a sentence a person can use. */
const MEANINGS: Record<Name, string> = {
  clarity: 'How plainly your last message says what you want and what is in the way.',
  action: 'How concrete your next step is: a verb, a day, a promise to yourself.',
  momentum: 'Days you wrote this week, and how far along the workbook you are.',
};

export const replies = (count: number): string => `${count} ${count === 1 ? 'reply' : 'replies'}`;

/** A score in words, so a low number early on reads as a start, not a failing grade. */
function inWords(score: number): string {
  if (score < 34) return 'just starting';
  if (score < 67) return 'taking shape';
  return 'strong';
}

/**
 * The latest clarity, action and momentum (0–100) as three bars in one neutral colour (a red
 * bar after a first "hi" reads as a verdict), each with what it measures and its score in words.
 */
export function Gauges({ latest, scoredReplies }: { latest: MetricsPoint | null; scoredReplies: number }) {
  return (
    <div className="gauges">
      {scoredReplies < 3 && (
        <p className="hint">
          {latest
            ? 'Early days: the scores describe your latest message, and settle as you say more about what you want.'
            : 'The scores appear after the coach’s first reply.'}
        </p>
      )}
      {NAMES.map((name) => (
        <div className="gauge" key={name}>
          <div className="gauge-head">
            <span id={`gauge-${name}`}>{LABELS[name]}</span>
            <span>{latest ? `${latest[name]} / 100 · ${inWords(latest[name])}` : 'no score yet'}</span>
          </div>
          <div
            className="gauge-bar"
            role="meter"
            aria-labelledby={`gauge-${name}`}
            aria-valuemin={0}
            aria-valuemax={100}
            aria-valuenow={latest?.[name] ?? 0}
            aria-valuetext={latest ? `${latest[name]} out of 100, ${inWords(latest[name])}` : 'no score yet'}
          >
            <span style={{ width: `${latest?.[name] ?? 0}%` }} />
          </div>
          <p className="gauge-meaning">{MEANINGS[name]}</p>
        </div>
      ))}
    </div>
  );
}

const WIDTH = 320;
const HEIGHT = 150;
const LEFT = 30;
const BOTTOM = 22;
const TOP = 8;
const RIGHT = 8;
const COLORS: Record<Name, string> = { clarity: '#1d4ed8', action: '#166534', momentum: '#9a3412' };
const DASHES: Record<Name, string | undefined> = { clarity: undefined, action: '6 3', momentum: '2 3' };

/** The three scores over the recent replies, oldest to newest, as an SVG line chart with axes. */
export function TrendPlot({ history }: { history: MetricsPoint[] }) {
  const points = [...history].reverse();
  if (points.length < 2) return <p className="hint">The trend appears after two or more replies.</p>;
  const plotWidth = WIDTH - LEFT - RIGHT;
  const plotHeight = HEIGHT - TOP - BOTTOM;
  const x = (i: number) => LEFT + (i / (points.length - 1)) * plotWidth;
  const y = (value: number) => TOP + plotHeight - (value / 100) * plotHeight;
  const latest = points[points.length - 1]!;
  return (
    <figure className="trend">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby="trend-title">
        <title id="trend-title">
          {`Scores over the last ${replies(points.length)}: clarity ${latest.clarity}, action ${latest.action}, momentum ${latest.momentum} now`}
        </title>
        {[0, 50, 100].map((tick) => (
          <g key={tick}>
            <line x1={LEFT} x2={WIDTH - RIGHT} y1={y(tick)} y2={y(tick)} stroke="#d4d4d8" strokeWidth={1} />
            <text x={LEFT - 4} y={y(tick) + 4} textAnchor="end" fontSize={10} fill="#52525b">
              {tick}
            </text>
          </g>
        ))}
        <text x={LEFT} y={HEIGHT - 6} fontSize={10} fill="#52525b">
          oldest
        </text>
        <text x={WIDTH - RIGHT} y={HEIGHT - 6} fontSize={10} fill="#52525b" textAnchor="end">
          latest reply
        </text>
        {NAMES.map((name) => (
          <polyline
            key={name}
            fill="none"
            stroke={COLORS[name]}
            strokeWidth={2}
            strokeDasharray={DASHES[name]}
            points={points.map((p, i) => `${x(i).toFixed(1)},${y(p[name]).toFixed(1)}`).join(' ')}
          />
        ))}
      </svg>
      <figcaption>
        Score (0–100) for each of your last {replies(points.length)}:{' '}
        {NAMES.map((name) => (
          <span key={name} className={`legend legend-${name}`}>
            {LABELS[name]}
          </span>
        ))}
      </figcaption>
    </figure>
  );
}
