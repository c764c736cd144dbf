import { describe, expect, it } from "vitest";
import type { JsonObject } from "../types.ts";
import { toResource } from "../input/resource.ts";
import { evaluatePss, parsePssVersion, PSS_CHECKS, PSS_LATEST_MINOR, pssActiveCheckIds, pssOverrides, type PssPod } from "./index.ts";

// Hand-written pods for what the v1.37 fixtures cannot show: behaviour at older policy versions,
// upstream's reason/detail strings, and defensive reading of malformed manifests.

/** A pod that passes restricted at every version; tests change one thing at a time. */
function restrictedPod(extra: JsonObject = {}, container: JsonObject = {}): PssPod {
  return {
    podSpec: {
      securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" } },
      containers: [{ name: "app", image: "x", securityContext: { allowPrivilegeEscalation: false, capabilities: { drop: ["ALL"] }, ...container } }],
      ...extra,
    },
  };
}

const ids = (pod: PssPod, level: "baseline" | "restricted", version: string) => evaluatePss(pod, level, version).failedChecks.map((c) => c.id);

describe("versions", () => {
  it("parses latest and v1.N, clamping to the newest known version", () => {
    expect(PSS_LATEST_MINOR).toBe(37);
    expect(parsePssVersion("latest")).toBe(37);
    expect(parsePssVersion("v1.0")).toBe(0);
    expect(parsePssVersion("v1.26")).toBe(26);
    expect(parsePssVersion("v1.99")).toBe(37);
    for (const bad of ["", "1.26", "v1", "v2.0", "v1.026", "v1.-1", "V1.26", "v1.26.0", "latest "]) expect(parsePssVersion(bad), bad).toBeUndefined();
    expect(evaluatePss(restrictedPod(), "baseline", "v1.99").version).toBe("v1.37");
    expect(evaluatePss(restrictedPod(), "baseline").version).toBe("v1.37");
  });

  it("rejects an unknown level or malformed version", () => {
    expect(() => evaluatePss(restrictedPod(), "privileged" as "baseline")).toThrow(RangeError);
    expect(() => evaluatePss(restrictedPod(), "baseline", "1.30")).toThrow(/invalid Pod Security Standards version/);
  });

  it("the restricted base pod passes restricted at every version", () => {
    for (let minor = 0; minor <= 40; minor++) expect(ids(restrictedPod(), "restricted", `v1.${minor}`), `v1.${minor}`).toEqual([]);
  });

  it("sysctls allow-list grows at 1.27, 1.29, 1.32 and 1.37", () => {
    const pod = (name: string) => restrictedPod({ securityContext: { runAsNonRoot: true, seccompProfile: { type: "RuntimeDefault" }, sysctls: [{ name, value: "1" }] } });
    const cases: [string, number][] = [
      ["kernel.shm_rmid_forced", 0],
      ["net.ipv4.ip_unprivileged_port_start", 0],
      ["net.ipv4.ip_local_reserved_ports", 27],
      ["net.ipv4.tcp_keepalive_time", 29],
      ["net.ipv4.tcp_fin_timeout", 29],
      ["net.ipv4.tcp_keepalive_intvl", 29],
      ["net.ipv4.tcp_keepalive_probes", 29],
      ["net.ipv4.tcp_rmem", 32],
      ["net.ipv4.tcp_wmem", 32],
      ["net.ipv4.tcp_slow_start_after_idle", 37],
      ["net.ipv4.tcp_notsent_lowat", 37],
    ];
    for (const [name, since] of cases) {
      if (since > 0) expect(ids(pod(name), "baseline", `v1.${since - 1}`), `${name} before`).toEqual(["sysctls"]);
      expect(ids(pod(name), "baseline", `v1.${since}`), `${name} at`).toEqual([]);
    }
    expect(ids(pod("kernel.msgmax"), "baseline", "latest")).toEqual(["sysctls"]);
  });

  it("seLinuxOptions allows container_engine_t from 1.31", () => {
    const pod = restrictedPod({}, { seLinuxOptions: { type: "container_engine_t" } });
    expect(ids(pod, "baseline", "v1.30")).toEqual(["seLinuxOptions"]);
    expect(ids(pod, "baseline", "v1.31")).toEqual([]);
    expect(ids(restrictedPod({}, { seLinuxOptions: { type: "spc_t" } }), "baseline", "v1.31")).toEqual(["seLinuxOptions"]);
  });

  it("user-namespaced pods: procMount (baseline), runAsNonRoot and runAsUser relax at 1.35; restricted procMount does not", () => {
    const userns = restrictedPod({ hostUsers: false, securityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } } }, { procMount: "Unmasked" });
    expect(ids(userns, "baseline", "v1.34")).toEqual(["procMount"]);
    expect(ids(userns, "baseline", "v1.35")).toEqual([]);
    expect(ids(userns, "restricted", "v1.34")).toEqual(["procMount", "runAsNonRoot", "runAsUser"]);
    expect(ids(userns, "restricted", "v1.35")).toEqual(["procMount_restricted"]);
    // hostUsers: true (or unset) gets no relaxation.
    const hostns = restrictedPod({ hostUsers: true, securityContext: { runAsUser: 0, seccompProfile: { type: "RuntimeDefault" } } }, { procMount: "Unmasked" });
    expect(ids(hostns, "baseline", "v1.35")).toEqual(["procMount"]);
    expect(ids(hostns, "restricted", "v1.35")).toEqual(["runAsNonRoot", "runAsUser", "procMount_restricted"].sort());
  });

  it("Windows pods are exempt from allowPrivilegeEscalation, seccomp and capabilities from 1.25", () => {
    const windows: PssPod = { podSpec: { os: { name: "windows" }, securityContext: { runAsNonRoot: true }, containers: [{ name: "app", image: "x" }] } };
    expect(ids(windows, "restricted", "v1.24")).toEqual(["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"]);
    expect(ids(windows, "restricted", "v1.25")).toEqual([]);
    const linux: PssPod = { podSpec: { ...windows.podSpec, os: { name: "linux" } } };
    expect(ids(linux, "restricted", "v1.25")).toEqual(["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"]);
  });

  it("hostProbesAndHostLifecycle applies from 1.34", () => {
    const pod = restrictedPod({}, {});
    (pod.podSpec["containers"] as JsonObject[])[0]!["livenessProbe"] = { httpGet: { host: "169.254.169.254", port: 80 } };
    expect(ids(pod, "baseline", "v1.33")).toEqual([]);
    expect(ids(pod, "baseline", "v1.34")).toEqual(["hostProbesAndHostLifecycle"]);
  });

  it("seccomp: annotations before 1.19, the field from 1.19", () => {
    const annotated: PssPod = { podMetadata: { annotations: { "seccomp.security.alpha.kubernetes.io/pod": "unconfined" } }, podSpec: { containers: [{ name: "app" }] } };
    expect(ids(annotated, "baseline", "v1.18")).toEqual(["seccompProfile_baseline"]);
    expect(ids(annotated, "baseline", "v1.19")).toEqual([]);
    const field: PssPod = { podSpec: { securityContext: { seccompProfile: { type: "Unconfined" } }, containers: [{ name: "app" }] } };
    expect(ids(field, "baseline", "v1.18")).toEqual([]);
    expect(ids(field, "baseline", "v1.19")).toEqual(["seccompProfile_baseline"]);
    const perContainer: PssPod = { podMetadata: { annotations: { "container.seccomp.security.alpha.kubernetes.io/app": "docker/default", "container.seccomp.security.alpha.kubernetes.io/other": "unconfined" } }, podSpec: { containers: [{ name: "app" }] } };
    expect(ids(perContainer, "baseline", "v1.18")).toEqual([]);
  });

  it("restricted checks start at their versions: allowPrivilegeEscalation 1.8, seccomp 1.19, capabilities 1.22, runAsUser 1.23", () => {
    const bare: PssPod = { podSpec: { securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [{ name: "app" }] } };
    expect(ids(bare, "restricted", "v1.7")).toEqual([]);
    expect(ids(bare, "restricted", "v1.8")).toEqual(["allowPrivilegeEscalation"]);
    expect(ids(bare, "restricted", "v1.19")).toEqual(["allowPrivilegeEscalation", "seccompProfile_restricted"]);
    expect(ids(bare, "restricted", "v1.22")).toEqual(["allowPrivilegeEscalation", "capabilities_restricted", "seccompProfile_restricted"]);
    expect(ids(bare, "restricted", "v1.23")).toEqual(["allowPrivilegeEscalation", "capabilities_restricted", "runAsUser", "seccompProfile_restricted"]);
  });

  it("capabilities: baseline below 1.22 under restricted, replaced by capabilities_restricted from 1.22", () => {
    const pod = restrictedPod({}, { capabilities: { drop: ["ALL"], add: ["SYS_ADMIN"] } });
    expect(ids(pod, "restricted", "v1.21")).toEqual(["capabilities_baseline"]);
    expect(ids(pod, "restricted", "v1.22")).toEqual(["capabilities_restricted"]);
    expect(ids(pod, "baseline", "v1.22")).toEqual(["capabilities_baseline"]);
    expect(ids(restrictedPod({}, { capabilities: { drop: ["ALL"], add: ["NET_BIND_SERVICE"] } }), "restricted", "latest")).toEqual([]);
    expect(ids(restrictedPod({}, { capabilities: { drop: ["all"] } }), "restricted", "latest")).toEqual(["capabilities_restricted"]);
    expect(ids(restrictedPod({}, { capabilities: { drop: ["ALL"], add: ["CHOWN"] } }), "baseline", "latest")).toEqual([]);
  });
});

describe("registry", () => {
  it("restricted is baseline minus overridden checks plus the restricted ones", () => {
    expect(PSS_CHECKS).toHaveLength(19);
    expect(pssActiveCheckIds("baseline", 0)).toEqual(["appArmorProfile", "capabilities_baseline", "hostNamespaces", "hostPathVolumes", "hostPorts", "privileged", "procMount", "seLinuxOptions", "seccompProfile_baseline", "sysctls", "windowsHostProcess"]);
    expect(pssActiveCheckIds("baseline", 37)).toContain("hostProbesAndHostLifecycle");
    expect(pssActiveCheckIds("restricted", 37)).toEqual([
      "appArmorProfile",
      "hostNamespaces",
      "hostPorts",
      "hostProbesAndHostLifecycle",
      "privileged",
      "seLinuxOptions",
      "sysctls",
      "windowsHostProcess",
      "allowPrivilegeEscalation",
      "capabilities_restricted",
      "procMount_restricted",
      "restrictedVolumes",
      "runAsNonRoot",
      "runAsUser",
      "seccompProfile_restricted",
    ]);
    expect(pssOverrides(18)).toEqual({ hostPathVolumes: "restrictedVolumes" });
    expect(pssOverrides(37)).toEqual({ hostPathVolumes: "restrictedVolumes", seccompProfile_baseline: "seccompProfile_restricted", capabilities_baseline: "capabilities_restricted", procMount: "procMount_restricted" });
  });
});

describe("reasons and details (upstream strings)", () => {
  it("names every offender", () => {
    const pod: PssPod = {
      podMetadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } },
      podSpec: {
        hostNetwork: true,
        hostPID: true,
        hostIPC: false,
        volumes: [{ name: "root", hostPath: { path: "/" } }, { name: "nfs", nfs: { server: "s", path: "/" } }, { name: "empty" }, { name: "img", image: { reference: "x" } }],
        initContainers: [{ name: "init", securityContext: { privileged: true, procMount: "Unmasked" }, ports: [{ containerPort: 1, hostPort: 8080 }] }],
        containers: [
          { name: "app", securityContext: { privileged: true, capabilities: { add: ["SYS_ADMIN", "NET_RAW", "CHOWN"] } }, ports: [{ hostPort: 443 }, { hostPort: 0 }] },
          { name: "side", securityContext: { seLinuxOptions: { type: "spc_t", user: "root" }, windowsOptions: { hostProcess: true } }, startupProbe: { tcpSocket: { host: "10.0.0.1" } } },
        ],
      },
    };
    const byId = Object.fromEntries(evaluatePss(pod, "restricted", "latest").failedChecks.map((c) => [c.id, `${c.reason} | ${c.detail}`]));
    expect(byId).toEqual({
      appArmorProfile: 'forbidden AppArmor profile | annotation must not set AppArmor profile type to "container.apparmor.security.beta.kubernetes.io/app="unconfined""',
      hostNamespaces: "host namespaces | hostNetwork=true, hostPID=true",
      hostPorts: "hostPort | containers \"init\", \"app\" use hostPorts 443, 8080",
      hostProbesAndHostLifecycle: 'probe or lifecycle host | container "side" uses probe or lifecycle host "10.0.0.1"',
      privileged: 'privileged | containers "init", "app" must not set securityContext.privileged=true',
      seLinuxOptions: 'seLinuxOptions | container "side" set forbidden securityContext.seLinuxOptions: type "spc_t"; user may not be set',
      windowsHostProcess: 'hostProcess | container "side" must not set securityContext.windowsOptions.hostProcess=true',
      restrictedVolumes: 'restricted volume types | volumes "root", "nfs" use restricted volume types "hostPath", "nfs"',
      allowPrivilegeEscalation: 'allowPrivilegeEscalation != false | containers "init", "app", "side" must set securityContext.allowPrivilegeEscalation=false',
      runAsNonRoot: 'runAsNonRoot != true | pod or containers "init", "app", "side" must set securityContext.runAsNonRoot=true',
      seccompProfile_restricted: 'seccompProfile | pod or containers "init", "app", "side" must set securityContext.seccompProfile.type to "RuntimeDefault" or "Localhost"',
      capabilities_restricted:
        'unrestricted capabilities | containers "init", "app", "side" must set securityContext.capabilities.drop=["ALL"]; container "app" must not include "CHOWN", "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add',
      procMount_restricted: 'procMount | container "init" must not set securityContext.procMount to "Unmasked"',
    });
    const baseline = evaluatePss(pod, "baseline", "latest").failedChecks;
    expect(baseline.map((c) => c.id)).toEqual([
      "appArmorProfile",
      "capabilities_baseline",
      "hostNamespaces",
      "hostPathVolumes",
      "hostPorts",
      "hostProbesAndHostLifecycle",
      "privileged",
      "procMount",
      "seLinuxOptions",
      "windowsHostProcess",
    ]);
    expect(baseline.find((c) => c.id === "capabilities_baseline")?.detail).toBe('container "app" must not include "NET_RAW", "SYS_ADMIN" in securityContext.capabilities.add');
    expect(baseline.find((c) => c.id === "hostPathVolumes")).toMatchObject({ reason: "hostPath volumes", detail: 'volume "root"' });
  });

  it("explicit false settings are reported as such", () => {
    const pod: PssPod = {
      podSpec: {
        securityContext: { runAsNonRoot: false, runAsUser: 0, seccompProfile: { type: "Unconfined" }, appArmorProfile: { type: "Unconfined" }, sysctls: [{ name: "kernel.msgmax" }, { name: "net.core.somaxconn" }] },
        containers: [{ name: "app", securityContext: { runAsNonRoot: false, runAsUser: 0, allowPrivilegeEscalation: true, capabilities: { drop: ["ALL"] } } }],
      },
    };
    const byId = Object.fromEntries(evaluatePss(pod, "restricted", "latest").failedChecks.map((c) => [c.id, c.detail]));
    expect(byId["runAsNonRoot"]).toBe('pod and container "app" must not set securityContext.runAsNonRoot=false');
    expect(byId["runAsUser"]).toBe('pod and container "app" must not set runAsUser=0');
    expect(byId["seccompProfile_restricted"]).toBe('pod must not set securityContext.seccompProfile.type to "Unconfined"');
    expect(byId["appArmorProfile"]).toBe('pod must not set AppArmor profile type to "Unconfined"');
    expect(byId["sysctls"]).toBe("kernel.msgmax, net.core.somaxconn");
    expect(byId["allowPrivilegeEscalation"]).toBe('container "app" must set securityContext.allowPrivilegeEscalation=false');
  });

  it("accepts the allowed AppArmor forms", () => {
    const pod: PssPod = {
      podMetadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/a": "runtime/default", "container.apparmor.security.beta.kubernetes.io/b": "localhost/p", "container.apparmor.security.beta.kubernetes.io/c": "" } },
      podSpec: { securityContext: { appArmorProfile: { type: "RuntimeDefault" } }, containers: [{ name: "a", securityContext: { appArmorProfile: { type: "Localhost", localhostProfile: "p" } } }] },
    };
    expect(ids(pod, "baseline", "latest")).toEqual([]);
  });
});

describe("inputs", () => {
  it("evaluates the pod template of workloads and reads their template annotations", () => {
    const cron = toResource({
      apiVersion: "batch/v1",
      kind: "CronJob",
      metadata: { name: "c" },
      spec: { jobTemplate: { spec: { template: { metadata: { annotations: { "container.apparmor.security.beta.kubernetes.io/app": "unconfined" } }, spec: { containers: [{ name: "app", securityContext: { privileged: true } }] } } } } },
    });
    expect(evaluatePss(cron, "baseline").failedChecks.map((c) => c.id)).toEqual(["appArmorProfile", "privileged"]);
  });

  it("reports non-pod resources as not applicable and allowed", () => {
    expect(evaluatePss(toResource({ kind: "Service", metadata: { name: "s" } }), "restricted")).toEqual({ allowed: true, level: "restricted", version: "v1.37", applicable: false, failedChecks: [] });
  });

  it("never throws on malformed specs and treats wrong types as absent", () => {
    const weird: unknown[] = [null, 1, "x", [], {}, [null, 1, "x", []], { securityContext: "x" }];
    for (const w of weird) {
      const spec = { containers: w, initContainers: w, ephemeralContainers: [w], volumes: w, securityContext: w, hostUsers: w, os: w } as JsonObject;
      for (const level of ["baseline", "restricted"] as const) for (const v of ["v1.0", "v1.24", "latest"]) expect(() => evaluatePss({ podSpec: spec }, level, v)).not.toThrow();
    }
    // Strings where booleans belong cannot be admitted by the API; they do not count as "true".
    expect(ids({ podSpec: { hostNetwork: "true", containers: [{ name: "a", securityContext: { privileged: "true" } }] } }, "baseline", "latest")).toEqual([]);
    // ...and they do not count as "false" where false is required.
    expect(ids(restrictedPod({}, { allowPrivilegeEscalation: "false" }), "restricted", "latest")).toEqual(["allowPrivilegeEscalation"]);
  });

  it("checks ephemeral containers too", () => {
    const pod = restrictedPod({ ephemeralContainers: [{ name: "debug", securityContext: { privileged: true } }] });
    expect(evaluatePss(pod, "baseline").failedChecks).toEqual([{ id: "privileged", reason: "privileged", detail: 'container "debug" must not set securityContext.privileged=true' }]);
  });

  it("a volume without a source is an emptyDir (API defaulting); image volumes are allowed", () => {
    expect(ids(restrictedPod({ volumes: [{ name: "v" }, { name: "i", image: { reference: "x" } }, { name: "c", csi: { driver: "d" } }, { name: "e", ephemeral: {} }] }), "restricted", "latest")).toEqual([]);
    expect(ids(restrictedPod({ volumes: [{ name: "v", emptyDir: {}, hostPath: { path: "/" } }] }), "restricted", "latest")).toEqual(["restrictedVolumes"]);
    expect(ids(restrictedPod({ volumes: [{ name: "v", hostPath: null }] }), "restricted", "latest")).toEqual([]);
  });
});
