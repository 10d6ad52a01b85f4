// chart: uPlot bar and line charts sized to their box, and the hour × weekday
// heat map as a plain table (a grid of numbers reads better than a picture of one).
import { useEffect, useRef } from 'preact/hooks';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export function Chart({ labels, series, bars = false, height = 220 }: { labels: string[]; series: { name: string; values: number[]; color: string }[]; bars?: boolean; height?: number }) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (!box.current) return;
    const xs = labels.map((_, i) => i);
    const opts: uPlot.Options = {
      width: box.current.clientWidth || 600,
      height,
      legend: { show: series.length > 1 },
      scales: { x: { time: false } },
      axes: [{ values: (_u, splits) => splits.map((v) => labels[v] ?? '') }, {}],
      series: [
        {},
        ...series.map((s) => ({
          label: s.name,
          stroke: s.color,
          fill: bars ? s.color + '99' : undefined,
          width: bars ? 0 : 2,
          paths: bars ? uPlot.paths.bars!({ size: [0.8, 60] }) : undefined,
          points: { show: !bars },
        })),
      ],
    };
    const plot = new uPlot(opts, [xs, ...series.map((s) => s.values)] as uPlot.AlignedData, box.current);
    const resize = () => plot.setSize({ width: box.current?.clientWidth || 600, height });
    window.addEventListener('resize', resize);
    return () => {
      window.removeEventListener('resize', resize);
      plot.destroy();
    };
  }, [JSON.stringify(labels), JSON.stringify(series), bars, height]);
  return <div class="chart" ref={box} />;
}

// rows keyed "weekday-hour" ("1-09") → a 7 × hours table shaded by count.
export function HeatMap({ cells, weekdays }: { cells: Map<string, number>; weekdays: string[] }) {
  const hours = [...new Set([...cells.keys()].map((k) => k.split('-')[1]))].sort();
  const most = Math.max(1, ...cells.values());
  const order = [1, 2, 3, 4, 5, 6, 0];
  return (
    <table class="heat">
      <thead><tr><th />{hours.map((h) => <th>{h}</th>)}</tr></thead>
      <tbody>
        {order.map((d) => (
          <tr>
            <th>{weekdays[d]}</th>
            {hours.map((h) => {
              const n = cells.get(`${d}-${h}`) ?? 0;
              return <td style={{ background: `rgba(0, 90, 160, ${n / most})`, color: n / most > 0.5 ? '#fff' : '#000' }}>{n || ''}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
