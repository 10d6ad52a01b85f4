// admin: the center's setup (services, counters and their service tiers,
// priority categories, policy, number ranges), accounts, device tokens and the
// procedure catalog. The setup is saved whole with PUT /api/admin/center: the
// server checks it (the same rules as the TOML file) and, when it is good,
// records a center_configured event that every console and board follows live.
import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type Me } from '../lib/api';
import { t } from '../lib/i18n';
import { ErrorLine, errorText, Session, TopBar } from '../lib/ui';
import '../lib/style.css';

type Center = any;

function Field({ label, value, onInput, type = 'text', name }: { label: string; value: any; onInput: (v: string) => void; type?: string; name?: string }) {
  return <label>{label}<input type={type} name={name} value={value} onInput={(e) => onInput(e.currentTarget.value)} /></label>;
}

const tiersText = (tiers: string[][]) => tiers.map((x) => x.join(',')).join(';');
const tiersOf = (text: string) => text.split(';').map((x) => x.split(',').map((c) => c.trim()).filter(Boolean)).filter((x) => x.length);

function CenterEditor({ notify }: { notify: (ok: string, error: string) => void }) {
  const [center, setCenter] = useState<Center | null>(null);
  const load = () => api.get('/api/admin/center').then(setCenter).catch((e) => notify('', errorText(e)));
  useEffect(() => { load(); }, []);
  if (!center) return <p class="loading">{t('loading')}</p>;
  const change = (f: (c: Center) => void) => { const c = structuredClone(center); f(c); setCenter(c); };
  const save = async () => {
    try {
      await api.put('/api/admin/center', center);
      notify(t('saved'), '');
      load();
    } catch (e) {
      notify('', errorText(e));
    }
  };
  return (
    <div class="admin-center">
      <section>
        <h2>{t('center')}</h2>
        <Field label={t('name')} name="center_name" value={center.name} onInput={(v) => change((c) => (c.name = v))} />
      </section>
      <section>
        <h2>{t('services')}</h2>
        <table class="grid edit" data-table="services">
          <thead><tr><th>{t('code')}</th><th>{t('name_vi')}</th><th>{t('name_en')}</th><th>{t('prefix')}</th><th>{t('first')}</th><th>{t('last')}</th><th>{t('opens')}</th><th>{t('closes')}</th><th>{t('daily_cap')}</th><th /></tr></thead>
          <tbody>{center.services.map((s: any, i: number) => (
            <tr>
              {(['code', 'name_vi', 'name_en', 'prefix'] as const).map((k) => <td><input value={s[k]} onInput={(e) => change((c) => (c.services[i][k] = e.currentTarget.value))} /></td>)}
              {(['first', 'last'] as const).map((k) => <td><input type="number" value={s[k]} onInput={(e) => change((c) => (c.services[i][k] = Number(e.currentTarget.value)))} /></td>)}
              {(['open', 'close'] as const).map((k) => <td><input value={s[k]} size={5} onInput={(e) => change((c) => (c.services[i][k] = e.currentTarget.value))} /></td>)}
              <td><input type="number" value={s.daily_cap} onInput={(e) => change((c) => (c.services[i].daily_cap = Number(e.currentTarget.value)))} /></td>
              <td><button type="button" onClick={() => change((c) => c.services.splice(i, 1))}>{t('delete')}</button></td>
            </tr>
          ))}</tbody>
        </table>
        <button type="button" data-add="service" onClick={() => change((c) => c.services.push({ code: '', name_vi: '', name_en: '', prefix: '', first: 1, last: 999, open: '07:30', close: '17:00', daily_cap: 0, wrap: false, avg_handle_s: 300 }))}>{t('add')}</button>
      </section>
      <section>
        <h2>{t('counters')}</h2>
        <table class="grid edit" data-table="counters">
          <thead><tr><th>#</th><th>{t('name')}</th><th>{t('tiers')}</th><th /></tr></thead>
          <tbody>{center.counters.map((k: any, i: number) => (
            <tr data-counter={k.id}>
              <td><input type="number" name={`counter_id_${i}`} value={k.id} onInput={(e) => change((c) => (c.counters[i].id = Number(e.currentTarget.value)))} /></td>
              <td><input name={`counter_name_${i}`} value={k.name} onInput={(e) => change((c) => (c.counters[i].name = e.currentTarget.value))} /></td>
              <td><input name={`counter_tiers_${i}`} value={tiersText(k.tiers)} onChange={(e) => change((c) => (c.counters[i].tiers = tiersOf(e.currentTarget.value)))} /></td>
              <td><button type="button" onClick={() => change((c) => c.counters.splice(i, 1))}>{t('delete')}</button></td>
            </tr>
          ))}</tbody>
        </table>
        <button type="button" data-add="counter" onClick={() => change((c) => c.counters.push({ id: Math.max(0, ...c.counters.map((k: any) => k.id)) + 1, name: '', tiers: [] }))}>{t('add')}</button>
      </section>
      <section>
        <h2>{t('categories')}</h2>
        <table class="grid edit">
          <thead><tr><th>{t('code')}</th><th>{t('name_vi')}</th><th>{t('name_en')}</th><th>{t('priority')}</th><th /></tr></thead>
          <tbody>{center.categories.map((k: any, i: number) => (
            <tr>
              {(['code', 'name_vi', 'name_en'] as const).map((f) => <td><input value={k[f]} onInput={(e) => change((c) => (c.categories[i][f] = e.currentTarget.value))} /></td>)}
              <td><input type="checkbox" checked={k.priority} onChange={(e) => change((c) => (c.categories[i].priority = e.currentTarget.checked))} /></td>
              <td><button type="button" onClick={() => change((c) => c.categories.splice(i, 1))}>{t('delete')}</button></td>
            </tr>
          ))}</tbody>
        </table>
        <button type="button" onClick={() => change((c) => c.categories.push({ code: '', name_vi: '', name_en: '', priority: true }))}>{t('add')}</button>
      </section>
      <section>
        <h2>{t('policy')}</h2>
        <div class="fields">
          {(['max_priority_streak', 'ageing_minutes', 'no_show_after_recalls', 'no_show_after_minutes', 'recent_calls'] as const).map((k) => (
            <Field label={t(k)} type="number" value={center.policy[k]} onInput={(v) => change((c) => (c.policy[k] = Number(v)))} />
          ))}
        </div>
      </section>
      <button type="button" class="primary big" data-save="center" onClick={save}>{t('save')}</button>
    </div>
  );
}

function Users({ notify }: { notify: (ok: string, error: string) => void }) {
  const [users, setUsers] = useState<any[]>([]);
  const [draft, setDraft] = useState({ user: '', password: '', role: 'staff', counter: 1 });
  const load = () => api.get('/api/admin/users').then((r) => setUsers(r.users)).catch((e) => notify('', errorText(e)));
  useEffect(() => { load(); }, []);
  const run = (p: Promise<unknown>) => p.then(() => { notify(t('saved'), ''); load(); }).catch((e) => notify('', errorText(e)));
  return (
    <section>
      <h2>{t('users')}</h2>
      <table class="grid" data-table="users">
        <thead><tr><th>{t('user')}</th><th>{t('role')}</th><th>{t('counter')}</th><th /></tr></thead>
        <tbody>{users.map((u) => (
          <tr data-user={u.user}>
            <td>{u.user}</td><td>{u.role}</td><td>{u.role === 'staff' ? u.counter : ''}</td>
            <td class="row">
              <button type="button" onClick={() => { const p = prompt(t('new_password')); if (p) run(api.put(`/api/admin/users/${encodeURIComponent(u.user)}`, { password: p })); }}>{t('new_password')}</button>
              <button type="button" onClick={() => run(api.post(`/api/admin/users/${encodeURIComponent(u.user)}/logout`))}>{t('end_sessions')}</button>
              <button type="button" onClick={() => confirm(`${t('delete')} ${u.user}?`) && run(api.del(`/api/admin/users/${encodeURIComponent(u.user)}`))}>{t('delete')}</button>
            </td>
          </tr>
        ))}</tbody>
      </table>
      <form class="fields" onSubmit={(e) => { e.preventDefault(); run(api.post('/api/admin/users', { ...draft, counter: draft.role === 'staff' ? draft.counter : 0 })); }}>
        <Field label={t('user')} name="new_user" value={draft.user} onInput={(v) => setDraft({ ...draft, user: v })} />
        <Field label={t('password')} name="new_password" type="password" value={draft.password} onInput={(v) => setDraft({ ...draft, password: v })} />
        <label>{t('role')}<select name="new_role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value })}>
          {['staff', 'manager', 'admin'].map((r) => <option value={r}>{r}</option>)}</select></label>
        <Field label={t('counter')} name="new_counter" type="number" value={draft.counter} onInput={(v) => setDraft({ ...draft, counter: Number(v) })} />
        <button type="submit" class="primary">{t('add')}</button>
      </form>
    </section>
  );
}

function Devices({ notify }: { notify: (ok: string, error: string) => void }) {
  const [devices, setDevices] = useState<any[]>([]);
  const [draft, setDraft] = useState({ role: 'kiosk', name: '', counter: 1 });
  const [shown, setShown] = useState('');
  const load = () => api.get('/api/admin/devices').then((r) => setDevices(r.devices)).catch((e) => notify('', errorText(e)));
  useEffect(() => { load(); }, []);
  const create = async (e: Event) => {
    e.preventDefault();
    try {
      const r = await api.post('/api/admin/devices', { role: draft.role, name: draft.name, ...(draft.role === 'rating' ? { counter: draft.counter } : {}) });
      setShown(r.token);
      load();
    } catch (err) {
      notify('', errorText(err));
    }
  };
  return (
    <section>
      <h2>{t('devices')}</h2>
      <table class="grid" data-table="devices">
        <thead><tr><th>{t('name')}</th><th>{t('role')}</th><th>{t('counter')}</th><th>{t('printer')}</th><th /></tr></thead>
        <tbody>{devices.map((d) => (
          <tr data-device={d.name}>
            <td>{d.name}</td><td>{d.role}</td><td>{d.counter || ''}</td><td>{d.printer ? `${d.printer.state} ${d.printer.detail}` : ''}</td>
            <td><button type="button" onClick={() => api.del(`/api/admin/devices/${d.id}`).then(load).catch((e) => notify('', errorText(e)))}>{t('revoke')}</button></td>
          </tr>
        ))}</tbody>
      </table>
      <form class="fields" onSubmit={create}>
        <label>{t('role')}<select name="device_role" value={draft.role} onChange={(e) => setDraft({ ...draft, role: e.currentTarget.value })}>
          {['kiosk', 'display', 'rating'].map((r) => <option value={r}>{r}</option>)}</select></label>
        <Field label={t('name')} name="device_name" value={draft.name} onInput={(v) => setDraft({ ...draft, name: v })} />
        {draft.role === 'rating' && <Field label={t('counter')} type="number" value={draft.counter} onInput={(v) => setDraft({ ...draft, counter: Number(v) })} />}
        <button type="submit" class="primary">{t('add')}</button>
      </form>
      {shown && <p class="token">{t('token_once')} <code data-token>{shown}</code></p>}
    </section>
  );
}

function Catalog({ notify }: { notify: (ok: string, error: string) => void }) {
  const [busy, setBusy] = useState(false);
  const upload = async (file: File) => {
    setBusy(true);
    try {
      const r = await api.post('/api/admin/catalog', await file.text());
      notify(`${t('saved')} ${r.procedures} · ${r.version}`, '');
    } catch (e) {
      notify('', errorText(e));
    } finally {
      setBusy(false);
    }
  };
  return (
    <section>
      <h2>{t('catalog')}</h2>
      <input type="file" accept=".json,.csv" disabled={busy} onChange={(e) => { const f = e.currentTarget.files?.[0]; if (f) upload(f); }} />
    </section>
  );
}

function Admin({ me }: { me: Me }) {
  const tabs = ['center', 'users', 'devices', 'catalog'] as const;
  const [tab, setTab] = useState<(typeof tabs)[number]>((location.hash.slice(1) as any) || 'center');
  const [ok, setOk] = useState('');
  const [error, setError] = useState('');
  const notify = (good: string, bad: string) => { setOk(good); setError(bad); };
  return (
    <div class="admin">
      <TopBar title={t('app_admin')} me={me}>
        <nav class="tabs">{tabs.map((x) => <button type="button" class={tab === x ? 'on' : ''} onClick={() => { setTab(x); location.hash = x; }}>{t(x)}</button>)}</nav>
      </TopBar>
      <main>
        {ok && <p class="ok" role="status">{ok}</p>}
        {tab === 'center' && <CenterEditor notify={notify} />}
        {tab === 'users' && <Users notify={notify} />}
        {tab === 'devices' && <Devices notify={notify} />}
        {tab === 'catalog' && <Catalog notify={notify} />}
      </main>
      <ErrorLine error={error} onClose={() => setError('')} />
    </div>
  );
}

render(<Session roles={['admin']} deniedText={t('admin_only')}>{(me) => <Admin me={me} />}</Session>, document.getElementById('app')!);
