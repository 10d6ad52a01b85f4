// postgres: a real PostgreSQL cluster for one test file — initdb in a temp
// folder, postgres on a free loopback port; as root it runs as the `postgres`
// user (initdb refuses root). Waits on the server's "ready" line, not a clock.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';

function bin() {
  for (let v = 20; v >= 13; v--) if (existsSync(`/usr/lib/postgresql/${v}/bin/initdb`)) return `/usr/lib/postgresql/${v}/bin`;
  throw new Error('no PostgreSQL server (apt install postgresql)');
}

const freePort = () => new Promise((ok) => {
  const s = createServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => ok(port)); });
});

export class Postgres {
  async start() {
    this.dir = mkdtempSync(join(tmpdir(), 'center-pg-'));
    this.port = await freePort();
    const root = process.getuid() === 0;
    const as = (cmd, args) => root ? ['setpriv', ['--reuid=postgres', '--regid=postgres', '--init-groups', '--', cmd, ...args]] : [cmd, args];
    if (root) execFileSync('chown', ['postgres:', this.dir]);
    execFileSync(...as(`${bin()}/initdb`, ['-D', join(this.dir, 'db'), '-A', 'trust', '-U', 'center', '-E', 'UTF8', '--locale=C.UTF-8', '--no-sync']), { stdio: 'ignore' });
    this.proc = spawn(...as(`${bin()}/postgres`, ['-D', join(this.dir, 'db'), '-p', String(this.port), '-k', this.dir,
      '-c', 'listen_addresses=127.0.0.1', '-c', 'fsync=off']), { stdio: ['ignore', 'ignore', 'pipe'] });
    const lines = createInterface({ input: this.proc.stderr });
    await new Promise((ok, fail) => {
      lines.on('line', (l) => { if (l.includes('ready to accept connections')) ok(); });
      this.proc.once('exit', (code) => fail(new Error(`postgres exited with ${code}`)));
    });
    this.conninfo = `host=127.0.0.1 port=${this.port} user=center dbname=postgres connect_timeout=5`;
    return this;
  }

  async stop() {
    const gone = new Promise((ok) => this.proc.once('exit', ok));
    this.proc.kill('SIGINT');  // fast shutdown
    await gone;
    rmSync(this.dir, { recursive: true, force: true });
  }
}
