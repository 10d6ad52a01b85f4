// date_range: the range of local days a report covers, as two date inputs
// (the statistics, the province and the bookings tabs).
import { dayToInput, inputToDay } from '../lib/format';
import { t } from '../lib/i18n';

export function DateRange({ from, to, setFrom, setTo }: { from: number; to: number; setFrom: (d: number) => void; setTo: (d: number) => void }) {
  return (
    <>
      <label>{t('from')}<input type="date" name="from" value={dayToInput(from)} onInput={(e) => setFrom(inputToDay(e.currentTarget.value))} /></label>
      <label>{t('to')}<input type="date" name="to" value={dayToInput(to)} onInput={(e) => setTo(inputToDay(e.currentTarget.value))} /></label>
    </>
  );
}
