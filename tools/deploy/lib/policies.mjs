// Revisit's own deployment policies, checked on one rendered overlay.
// Each check pushes human-readable violations; see tools/deploy/validate.mjs.
import { id } from "./render.mjs";

export const SERVICES = ["order", "complaint", "loyalty", "outreach"];
// ARCHITECTURE.md: the only service-to-service gRPC calls (caller -> callee).
export const CALLS = ["complaint->order", "complaint->loyalty", "outreach->complaint", "outreach->order", "order->loyalty"];
export const TOPICS = ["revisit.order.v1", "revisit.complaint.v1", "revisit.loyalty.v1", "revisit.outreach.v1",
  "revisit.complaint.dlq.v1", "revisit.loyalty.dlq.v1", "revisit.outreach.dlq.v1"];
// SHUTDOWN_S: the longest SIGTERM shutdown with base/common.env (the sum of the step
// deadlines, docs/operations.md "Shutdown deadlines").
const GRPC_PORT = 50051, METRICS_PORT = 9464, PROBE_PORT = 8086, SHUTDOWN_S = 27;  // 26.1 s, rounded up
const SECRETISH = /PASSWORD|SECRET|TOKEN|CREDENTIAL/;

const matches = (sel, labels) => !!sel && !sel.matchExpressions &&
  Object.entries(sel.matchLabels ?? {}).every(([k, v]) => labels?.[k] === v);
const podLabels = (w) => w.spec.template.metadata?.labels ?? {};
const isService = (w) => w.kind === "Deployment" && podLabels(w)["app.kubernetes.io/component"] === "service";
const svcOf = (w) => (podLabels(w)["app.kubernetes.io/name"] ?? "").replace(/^revisit-/, "");

// checkWorkload: probes, resources, security, drain, image tag, scrape annotations.
export function checkWorkload(w, overlay, v) {
  const pod = w.spec.template.spec, psc = pod.securityContext ?? {};
  const where = `${id(w)}`;
  const service = isService(w);
  if (service && (pod.terminationGracePeriodSeconds ?? 30) < SHUTDOWN_S + 5)
    v(`${where}: terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} does not cover the ${SHUTDOWN_S} s shutdown`);
  if (service) {
    const a = w.spec.template.metadata?.annotations ?? {};
    if (a["prometheus.io/scrape"] !== "true" || a["prometheus.io/port"] !== String(METRICS_PORT))
      v(`${where}: pod template lacks prometheus.io/scrape "true" and prometheus.io/port "${METRICS_PORT}"`);
  }
  for (const c of [...(pod.initContainers ?? []), ...pod.containers]) {
    const at = `${where} container ${c.name}`, sc = c.securityContext ?? {};
    // Services answer grpc.health.v1 "readiness" and "liveness" (docs/operations.md "Health").
    for (const [p, name] of [["readinessProbe", "readiness"], ["livenessProbe", "liveness"]]) {
      if (!c[p]) v(`${at}: no ${p}`);
      // The API port is mTLS only; kubelet probes speak plaintext to the probe port.
      else if (service && c[p].grpc?.port !== PROBE_PORT) v(`${at}: ${p} must be a native grpc probe on the probe port ${PROBE_PORT}`);
      else if (service && c[p].grpc?.service !== name) v(`${at}: ${p} must ask grpc.health.v1 service "${name}"`);
    }
    const r = c.resources ?? {};
    if (!r.requests?.cpu || !r.requests?.memory) v(`${at}: resources.requests cpu and memory required`);
    if (!r.limits?.memory) v(`${at}: resources.limits.memory required`);
    if ((sc.runAsNonRoot ?? psc.runAsNonRoot) !== true) v(`${at}: runAsNonRoot must be true`);
    const uid = sc.runAsUser ?? psc.runAsUser;
    if (!Number.isInteger(uid) || uid === 0) v(`${at}: runAsUser must be a non-zero number`);
    if (sc.readOnlyRootFilesystem !== true) v(`${at}: readOnlyRootFilesystem must be true`);
    if (sc.allowPrivilegeEscalation !== false) v(`${at}: allowPrivilegeEscalation must be false`);
    if (!(sc.capabilities?.drop ?? []).includes("ALL")) v(`${at}: capabilities.drop must include ALL`);
    if ((sc.seccompProfile ?? psc.seccompProfile)?.type !== "RuntimeDefault") v(`${at}: seccompProfile must be RuntimeDefault`);
    const img = c.image ?? "", tag = img.includes("@") ? "digest" : (img.split("/").pop().split(":")[1] ?? "");
    if (!tag) v(`${at}: image ${img} has no tag (means :latest)`);
    if (tag === "latest") v(`${at}: image ${img} uses :latest`);
    for (const e of c.env ?? [])
      if (SECRETISH.test(e.name) && !e.valueFrom?.secretKeyRef) v(`${at}: ${e.name} must come from a secretKeyRef`);
  }
  if (overlay === "prod" && w.kind === "Deployment") {
    if ((w.spec.replicas ?? 1) < 2) v(`${where}: prod needs replicas >= 2`);
    if (!pod.topologySpreadConstraints?.length && !pod.affinity?.podAntiAffinity)
      v(`${where}: prod needs topologySpreadConstraints or podAntiAffinity`);
  }
  if (overlay === "dev" && w.kind === "Deployment" && w.spec.replicas !== 1) v(`${where}: dev runs 1 replica`);
}

// checkCluster: cross-object rules (PDBs, HPAs, Services, NetworkPolicies, topics, refs).
export function checkCluster(objs, overlay, v) {
  const of = (k) => objs.filter((o) => o.kind === k);
  const deps = of("Deployment"), nps = of("NetworkPolicy");
  const names = new Set(objs.map(id));
  for (const d of deps) {
    if (!of("PodDisruptionBudget").some((p) => matches(p.spec.selector, podLabels(d)))) v(`${id(d)}: no PodDisruptionBudget selects it`);
    if (!of("Service").some((s) => Object.entries(s.spec.selector ?? {}).length && Object.entries(s.spec.selector).every(([k, x]) => podLabels(d)[k] === x)))
      v(`${id(d)}: no Service selects it`);
    if (isService(d) && !nps.some((n) => n.spec.podSelector?.matchLabels?.["app.kubernetes.io/name"] === podLabels(d)["app.kubernetes.io/name"]))
      v(`${id(d)}: no NetworkPolicy of its own`);
  }
  for (const s of SERVICES) if (!deps.some((d) => svcOf(d) === s)) v(`no Deployment for service ${s}`);
  for (const h of of("HorizontalPodAutoscaler")) {
    if (!names.has(`${h.spec.scaleTargetRef.kind}/${h.spec.scaleTargetRef.name}`)) v(`${id(h)}: target ${h.spec.scaleTargetRef.name} not found`);
    if (overlay === "prod" && (h.spec.minReplicas ?? 1) < 2) v(`${id(h)}: prod minReplicas must be >= 2`);
  }
  // Referenced ConfigMaps and Secrets exist (prod Secrets may be created out of band).
  for (const w of objs.filter((o) => o.spec?.template?.spec)) {
    const pod = w.spec.template.spec;
    const refs = [];
    for (const c of pod.containers) {
      for (const f of c.envFrom ?? []) refs.push(f.configMapRef ? ["ConfigMap", f.configMapRef.name] : ["Secret", f.secretRef.name]);
      for (const e of c.env ?? []) {
        if (e.valueFrom?.secretKeyRef) refs.push(["Secret", e.valueFrom.secretKeyRef.name]);
        if (e.valueFrom?.configMapKeyRef) refs.push(["ConfigMap", e.valueFrom.configMapKeyRef.name]);
      }
    }
    for (const vol of pod.volumes ?? []) if (vol.configMap) refs.push(["ConfigMap", vol.configMap.name]);
    for (const [k, n] of refs)
      if (!names.has(`${k}/${n}`) && !(k === "Secret" && overlay === "prod")) v(`${id(w)}: references missing ${k} ${n}`);
  }
  for (const cm of of("ConfigMap"))
    for (const k of Object.keys(cm.data ?? {})) if (SECRETISH.test(k)) v(`${id(cm)}: ${k} looks secret; use a Secret`);
  checkNetwork(deps.filter(isService), nps, v);
  const topics = of("KafkaTopic").map((t) => t.spec.topicName ?? t.metadata.name);
  for (const t of TOPICS) if (!topics.includes(t)) v(`no KafkaTopic ${t}`);
  const redis = of("StatefulSet").find((s) => podLabels(s)["app.kubernetes.io/name"] === "revisit-redis");
  if (redis && !redis.spec.volumeClaimTemplates?.length) v(`${id(redis)}: Redis needs a PersistentVolumeClaim`);
  if (redis && !of("ConfigMap").some((c) => /^appendonly yes$/m.test(Object.values(c.data ?? {}).join("\n")))) v("Redis config lacks appendonly yes");
}

// Allowed gRPC edges = caller's egress allows callee:50051 AND callee's ingress allows
// caller:50051; must equal CALLS exactly. Also: default deny, DNS, metrics ingress.
function checkNetwork(svcs, nps, v) {
  const sel = (w) => nps.filter((n) => matches(n.spec.podSelector, podLabels(w)));
  const allows = (rules, peerLabels, port, key) => (rules ?? []).some((r) =>
    (!r.ports || r.ports.some((p) => p.port === port || p.port === "grpc")) &&
    (!r[key] || r[key].some((p) => !p.namespaceSelector && !p.ipBlock && matches(p.podSelector, peerLabels))));
  const got = [];
  for (const a of svcs) for (const b of svcs) {
    if (a === b) continue;
    const out = sel(a).filter((n) => n.spec.policyTypes?.includes("Egress")).some((n) => allows(n.spec.egress, podLabels(b), GRPC_PORT, "to"));
    const inn = sel(b).filter((n) => n.spec.policyTypes?.includes("Ingress")).some((n) => allows(n.spec.ingress, podLabels(a), GRPC_PORT, "from"));
    if (out && inn) got.push(`${svcOf(a)}->${svcOf(b)}`);
  }
  for (const e of got) if (!CALLS.includes(e)) v(`NetworkPolicies allow ${e}, which the architecture does not have`);
  for (const e of CALLS) if (!got.includes(e)) v(`NetworkPolicies do not allow the call ${e}`);
  for (const w of svcs) {
    const mine = sel(w);
    const denyAll = (n) => ["Ingress", "Egress"].every((t) => n.spec.policyTypes?.includes(t)) && !n.spec.ingress?.length && !n.spec.egress?.length;
    if (!mine.some(denyAll)) v(`${id(w)}: no default-deny NetworkPolicy covers it`);
    const eg = mine.flatMap((n) => n.spec.egress ?? []);
    for (const port of [53, 6379, 9093])
      if (!eg.some((r) => r.ports?.some((p) => p.port === port))) v(`${id(w)}: no egress to port ${port} (DNS/Redis/Kafka)`);
    const ing = mine.flatMap((n) => n.spec.ingress ?? []);
    if (!ing.some((r) => r.ports?.some((p) => p.port === METRICS_PORT) && r.from?.some((f) => f.namespaceSelector)))
      v(`${id(w)}: no Prometheus ingress on ${METRICS_PORT}`);
  }
}

export { isService, svcOf };
