import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SEARCH_ATTRIBUTES } from '../../../src/contracts/search-attributes';

const root = join(__dirname, '..', '..', '..');
const read = (p: string) => readFileSync(join(root, p), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  container_name?: string;
  ports?: string[];
  expose?: string[];
  environment?: Record<string, string>;
  secrets?: Array<string | { source: string; target?: string }>;
  volumes?: string[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
  entrypoint?: string[];
  restart?: string;
}
const compose = parse(read('docker-compose.yml'), { merge: true }) as {
  services: Record<string, Service>;
  secrets: Record<string, { file: string }>;
};
const svc = (name: string): Service => {
  const s = compose.services[name];
  if (!s) throw new Error(`no service ${name}`);
  return s;
};
const ONE_SHOT = ['temporal-schema', 'temporal-namespace'];

describe('docker-compose.yml', () => {
  it('has the whole deployment', () => {
    expect(Object.keys(compose.services).sort()).toEqual(
      ['codec-server', 'postgresql', 'prometheus', 'temporal', 'temporal-namespace', 'temporal-schema', 'temporal-ui', 'worker'].sort(),
    );
  });

  it('lets the worker scale: built here, no container_name, no host port', () => {
    const worker = svc('worker');
    expect(worker.build).toBe('.');
    expect(worker.container_name).toBeUndefined();
    expect(worker.ports).toBeUndefined();
    for (const s of Object.values(compose.services)) expect(s.container_name).toBeUndefined();
  });

  it('points the worker at Temporal and its key file, with metrics where Prometheus looks', () => {
    const env = svc('worker').environment!;
    expect(env.TEMPORAL_ADDRESS).toBe('temporal:7233');
    expect(env.NETOPS_CODEC_KEY_FILE).toBe('/run/secrets/codec.keys');
    expect(svc('worker').expose).toEqual([env.NETOPS_METRICS_PORT]);
    const prom = parse(read('deploy/prometheus/prometheus.yml')) as { scrape_configs: Array<{ job_name: string; dns_sd_configs?: Array<{ names: string[]; port: number }> }> };
    const job = prom.scrape_configs.find((j) => j.job_name === 'netops-worker');
    expect(job?.dns_sd_configs?.[0]).toMatchObject({ names: ['worker'], port: Number(env.NETOPS_METRICS_PORT) });
  });

  it('publishes ports on loopback only', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      for (const p of s.ports ?? []) expect(p, name).toMatch(/^127\.0\.0\.1:/);
    }
  });

  it('gives every long-running service a healthcheck and a restart policy', () => {
    for (const [name, s] of Object.entries(compose.services)) {
      if (ONE_SHOT.includes(name)) {
        expect(s.restart, name).toMatch(/^on-failure/);
        continue;
      }
      expect(s.healthcheck?.test, name).toBeDefined();
      expect(s.restart, name).toBe('unless-stopped');
    }
  });

  it('orders start-up: schema job, then server, then namespace job, then workers', () => {
    expect(svc('temporal-schema').depends_on?.postgresql?.condition).toBe('service_healthy');
    expect(svc('temporal').depends_on?.['temporal-schema']?.condition).toBe('service_completed_successfully');
    expect(svc('temporal-namespace').depends_on?.temporal?.condition).toBe('service_healthy');
    expect(svc('worker').depends_on?.['temporal-namespace']?.condition).toBe('service_completed_successfully');
  });

  it('passes secrets as files, never as values in the file', () => {
    expect(Object.keys(compose.secrets).sort()).toEqual(['codec_keys', 'codec_token', 'postgres_password']);
    for (const s of Object.values(compose.secrets)) expect(s.file).toMatch(/^\.\/deploy\/secrets\//);
    const text = read('docker-compose.yml');
    expect(text).not.toMatch(/PASSWORD:\s*(?!\/run\/secrets)\S/);
    expect(svc('postgresql').environment?.POSTGRES_PASSWORD_FILE).toBe('/run/secrets/postgres_password');
    expect(text).toContain('/run/secrets/postgres_password');
  });

  it('runs the codec server for the UI origin it publishes and with a token', () => {
    const cmd = svc('codec-server').command!;
    expect(cmd.slice(0, 3)).toEqual(['node', 'bin/netops.cjs', 'codec-server']);
    expect(cmd).toContain('--token-file=/run/secrets/codec_token');
    expect(cmd).not.toContain('--no-auth');
    const uiPort = svc('temporal-ui').ports![0]!.split(':')[1];
    expect(cmd).toContain(`--ui-origin=http://127.0.0.1:${uiPort}`);
    const codecPort = svc('codec-server').ports![0]!.split(':')[1];
    expect(svc('temporal-ui').environment?.TEMPORAL_CODEC_ENDPOINT).toContain(`127.0.0.1:${codecPort}`);
  });

  it('mounts only files that exist in deploy/', () => {
    for (const s of Object.values(compose.services)) {
      for (const v of s.volumes ?? []) {
        const host = v.split(':')[0]!;
        if (host.startsWith('./')) expect(existsSync(join(root, host)), host).toBe(true);
      }
    }
  });

  it('gives the read-only worker writable places for results and its bundle: named volumes at the paths the image owns', () => {
    const worker = svc('worker');
    const env = worker.environment!;
    const mounts = Object.fromEntries((worker.volumes ?? []).map((v) => v.split(':')).map(([from, to]) => [to, from]));
    expect(mounts[env.NETOPS_RESULTS_DIR!]).toBe('results');
    expect(mounts[env.NETOPS_BUNDLE_CACHE!]).toBe('bundles');
    const dockerfile = read('Dockerfile');
    for (const path of [env.NETOPS_RESULTS_DIR!, env.NETOPS_BUNDLE_CACHE!]) expect(dockerfile).toContain(path);
    expect(dockerfile).toMatch(/chown -R node:node \/var\/lib\/netops \/var\/cache\/netops/);
    expect(env.NETOPS_LOG_FORMAT).toBe('json');
  });

  it('runs the server without an authorizer only by saying so (no warning at every start)', () => {
    expect(svc('temporal').environment?.TEMPORAL_ALLOW_NO_AUTH).toBe('true');
  });

  it('registers every search attribute the workflows set', () => {
    const script = read('deploy/temporal/create-namespace.sh');
    for (const sa of SEARCH_ATTRIBUTES) expect(script).toContain(`${sa.name}=${sa.cliType}`);
  });
});

describe('Dockerfile', () => {
  const dockerfile = read('Dockerfile');

  it('builds on node 20 bookworm-slim with production dependencies and runs the worker', () => {
    expect(dockerfile).toMatch(/^FROM node:20-bookworm-slim/m);
    expect(dockerfile).toContain('npm install --omit=dev');
    expect(dockerfile).toContain('CMD ["node", "bin/netops.cjs", "worker"]');
    expect(dockerfile).toMatch(/^USER node$/m);
    // /app is read-only when the container runs: the compiled CLI is built with the image, before USER.
    expect(dockerfile.indexOf('RUN node bin/build-cli.cjs')).toBeGreaterThan(dockerfile.indexOf('COPY src ./src'));
    expect(dockerfile.indexOf('RUN node bin/build-cli.cjs')).toBeLessThan(dockerfile.indexOf('USER node'));
  });

  it('keeps tsx, needed at runtime, in dependencies (--omit=dev would drop it otherwise)', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    expect(pkg.dependencies.tsx).toBeDefined();
  });

  it('.dockerignore keeps secrets, tests and local state out of the build context', () => {
    const ignored = read('.dockerignore').split('\n').map((l) => l.trim());
    for (const p of ['node_modules', '.git', 'deploy', 'test', '.env', '**/*.keys']) expect(ignored).toContain(p);
    for (const p of ['src', 'bin', 'package.json']) expect(ignored).not.toContain(p);
  });
});
