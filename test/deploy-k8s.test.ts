import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Namespace, ConfigMap, PersistentVolumeClaim, Service } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { ScaledObject, TriggerAuthentication } from '@kubernetes-models/keda/keda.sh/v1alpha1';
import { loadConfig } from '@roche/core';
import { DocumentQueue, QUEUES, createRedis } from '@roche/queue';
import { parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, inject, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..');
const K8S = path.join(ROOT, 'deploy/k8s');
const OVERLAYS = ['cpu', 'gpu'] as const;

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: any; // eslint-disable-line @typescript-eslint/no-explicit-any
  data?: Record<string, string>;
}

/** Every kind the manifests may use, with the kubernetes-models class that validates it. */
const MODELS: Record<string, new (o: any) => { validate(): void }> = {
  'v1/Namespace': Namespace,
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/PersistentVolumeClaim': PersistentVolumeClaim,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'keda.sh/v1alpha1/ScaledObject': ScaledObject,
  'keda.sh/v1alpha1/TriggerAuthentication': TriggerAuthentication,
};

function kustomize(dir: string): Manifest[] {
  let out: string;
  try {
    out = execFileSync('kubectl', ['kustomize', dir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  } catch (e) {
    const err = e as { code?: string; stderr?: string };
    throw new Error(
      err.code === 'ENOENT' ? 'kubectl (with kustomize v5) is needed to build deploy/k8s' : `kubectl kustomize ${dir}: ${err.stderr}`,
    );
  }
  return parseAllDocuments(out).map((d) => d.toJS() as Manifest);
}

const find = (ms: Manifest[], kind: string, name: string) => {
  const m = ms.find((x) => x.kind === kind && x.metadata.name === name);
  if (!m) throw new Error(`no ${kind} ${name}`);
  return m;
};

/** The `| \`Kind/name\` | ... |` rows of the table in docs/deployment.md. */
const documented = [...fs.readFileSync(path.join(ROOT, 'docs/deployment.md'), 'utf8').matchAll(/^\| `([A-Za-z]+\/[a-z0-9-]+)` \|/gm)]
  .map((m) => m[1]!)
  .sort();

const env = (ms: Manifest[]) => ms.find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('roche-env-'))!.data!;

/**
 * deploy/k8s built with `kubectl kustomize` (kustomize v5 inside kubectl, on the machine image) and
 * every object checked against the Kubernetes / KEDA schemas of kubernetes-models. Those schemas
 * check types, enums and required fields, but allow unknown fields (a misspelt optional field is
 * not caught).
 */
describe('Kubernetes manifests (deploy/k8s)', () => {
  const built = Object.fromEntries(OVERLAYS.map((o) => [o, kustomize(path.join(K8S, 'overlays', o))])) as Record<
    (typeof OVERLAYS)[number],
    Manifest[]
  >;

  it('the validator rejects a wrong manifest (so a pass means something)', () => {
    const bad = structuredClone(find(built.cpu, 'Deployment', 'roche-api'));
    bad.spec.replicas = 'two';
    expect(() => new Deployment(bad).validate()).toThrow(/replicas/);
    const badTrigger = structuredClone(find(built.cpu, 'ScaledObject', 'roche-worker'));
    delete badTrigger.spec.scaleTargetRef;
    expect(() => new ScaledObject(badTrigger as never).validate()).toThrow(/scaleTargetRef/);
  });

  for (const overlay of OVERLAYS) {
    it(`${overlay}: every object is valid against its schema and lands in the roche namespace`, () => {
      const ms = built[overlay];
      for (const m of ms) {
        const Model = MODELS[`${m.apiVersion}/${m.kind}`];
        expect(Model, `${m.apiVersion} ${m.kind} has no schema here`).toBeDefined();
        expect(() => new Model!(m).validate(), `${m.kind} ${m.metadata.name}`).not.toThrow();
        if (m.kind !== 'Namespace') expect(m.metadata.namespace, `${m.kind} ${m.metadata.name}`).toBe('roche');
      }
    });

    it(`${overlay}: builds exactly the objects docs/deployment.md lists`, () => {
      const names = built[overlay].map((m) => `${m.kind}/${m.metadata.name.replace(/-[a-z0-9]{10}$/, '')}`).sort();
      expect(names).toEqual(documented);
    });

    it(`${overlay}: probes, resources, PDBs, non-root, selectors that match`, () => {
      const ms = built[overlay];
      for (const d of ms.filter((m) => m.kind === 'Deployment')) {
        const pod = d.spec.template.spec;
        expect(d.spec.selector.matchLabels, d.metadata.name).toEqual(
          Object.fromEntries(Object.entries(d.spec.selector.matchLabels).filter(([k]) => d.spec.template.metadata.labels[k])),
        );
        expect(pod.securityContext.runAsNonRoot).toBe(true);
        for (const c of pod.containers) {
          expect(c.resources.requests.cpu, `${d.metadata.name} cpu request`).toBeTruthy();
          expect(c.resources.requests.memory, `${d.metadata.name} memory request`).toBeTruthy();
          expect(c.livenessProbe, `${d.metadata.name} liveness`).toBeDefined();
        }
        const pdb = ms.find((m) => m.kind === 'PodDisruptionBudget' && m.metadata.name === d.metadata.name);
        expect(pdb?.spec.selector.matchLabels, `${d.metadata.name} PDB`).toEqual(d.spec.selector.matchLabels);
      }
      const api = find(ms, 'Deployment', 'roche-api').spec.template.spec.containers[0];
      expect(api.args).toEqual(['api']);
      expect(api.livenessProbe.httpGet.path).toBe('/healthz');
      expect(api.readinessProbe.httpGet.path).toBe('/readyz');
      expect(api.envFrom.map((e: { secretRef?: { name: string } }) => e.secretRef?.name).filter(Boolean)).toEqual(['roche-secrets']);
      expect(find(ms, 'Deployment', 'roche-worker').spec.template.spec.containers[0].args).toEqual(['worker']);
      expect(find(ms, 'Deployment', 'roche-watcher').spec.template.spec.containers[0].args).toEqual(['watcher']);
      expect(find(ms, 'Service', 'roche-api').spec.type).toBe('ClusterIP');
      expect(find(ms, 'HorizontalPodAutoscaler', 'roche-api').spec.scaleTargetRef.name).toBe('roche-api');
      const triton = find(ms, 'Deployment', 'triton').spec.template.spec;
      expect(triton.containers[0].readinessProbe.httpGet.path).toBe('/v2/health/ready');
      expect(triton.volumes.find((v: { name: string }) => v.name === 'models').persistentVolumeClaim.claimName).toBe('roche-models');
      const gpu = triton.containers[0].resources.limits['nvidia.com/gpu'];
      expect(gpu).toBe(overlay === 'gpu' ? '1' : undefined);
      expect(triton.containers[0].image).toBe(`roche-triton:0.1.0-${overlay}`);
      const tritonTriggers = find(ms, 'ScaledObject', 'triton').spec.triggers.map(
        (t: { type: string; name: string }) => `${t.type}:${t.name}`,
      );
      expect(tritonTriggers).toEqual(
        overlay === 'gpu' ? ['prometheus:queue-time', 'prometheus:gpu-utilisation'] : ['prometheus:queue-time'],
      );
    });

    it(`${overlay}: pipeline_config.yaml in the ConfigMap is the repository's`, () => {
      const cm = built[overlay].find((m) => m.kind === 'ConfigMap' && m.metadata.name.startsWith('roche-pipeline-'))!;
      expect(cm.data!['pipeline_config.yaml'], 'copy pipeline_config.yaml to deploy/k8s/base/ (kustomize reads no file above it)').toBe(
        fs.readFileSync(path.join(ROOT, 'pipeline_config.yaml'), 'utf8'),
      );
      expect(env(built[overlay]).ROCHE_PIPELINE_CONFIG).toBe('/etc/roche/pipeline_config.yaml');
      for (const name of ['roche-api', 'roche-worker']) {
        const spec = find(built[overlay], 'Deployment', name).spec.template.spec;
        const mount = spec.containers[0].volumeMounts.find((v: { name: string }) => v.name === 'pipeline');
        expect(mount.mountPath).toBe('/etc/roche');
        expect(spec.volumes.find((v: { name: string }) => v.name === 'pipeline').configMap.name).toBe(cm.metadata.name);
      }
    });
  }

  describe('KEDA scales workers on the list Roche really queues pages in', () => {
    const redis = createRedis(inject('redisUrl'));
    afterAll(async () => {
      await redis.quit();
    });

    it.each(OVERLAYS)('%s: trigger keys are <prefix>:<queue>:wait for the prefix the workers get', (overlay) => {
      const ms = built[overlay];
      // The prefix workers use: roche-env's ROCHE_QUEUE_PREFIX, read through Roche's own config loader.
      const prefix = loadConfig({ ROCHE_QUEUE_PREFIX: env(ms).ROCHE_QUEUE_PREFIX }).queuePrefix;
      const so = find(ms, 'ScaledObject', 'roche-worker');
      expect(so.spec.scaleTargetRef.name).toBe('roche-worker');
      const redisTriggers = so.spec.triggers.filter((t: { type: string }) => t.type === 'redis');
      expect(redisTriggers.map((t: { metadata: { listName: string } }) => t.metadata.listName)).toEqual([
        `${prefix}:${QUEUES.pages}:wait`,
        `${prefix}:${QUEUES.documents}:wait`,
      ]);
      for (const t of redisTriggers) {
        expect(env(ms)[t.metadata.addressFromEnv], 'the trigger address variable is in roche-env').toBeDefined();
        expect(new URL(env(ms).REDIS_URL!).host).toBe(env(ms)[t.metadata.addressFromEnv]);
      }
    });

    it('a submitted document really waits in <prefix>:pages:wait (BullMQ, real Redis)', async () => {
      const prefix = `keda-${process.pid}`;
      const queue = new DocumentQueue(inject('redisUrl'), prefix);
      try {
        await queue.enqueueDocument('job_keda', [1, 2, 3]);
        expect(await redis.llen(`${prefix}:${QUEUES.pages}:wait`)).toBe(3);
        expect(await redis.type(`${prefix}:${QUEUES.pages}:wait`)).toBe('list');
      } finally {
        await queue.close();
      }
    });
  });
});
