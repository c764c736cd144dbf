import { describe, expect, it } from "vitest";
import { parseManifests } from "../input/parse.ts";
import { toResource } from "../input/resource.ts";
import { dropAllCapabilities, noPrivilegeEscalation, noPrivileged, readOnlyRootFs, runAsNonRoot } from "./privileges.ts";
import { SETTINGS, cronJob, deployment, pod, run, where } from "./testing.ts";

const sc = (securityContext: object, name = "app") => ({ name, image: "nginx:1.27", securityContext });
const service = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: { ports: [{ port: 80 }] } };

describe("no-privileged", () => {
  it("passes unprivileged containers and non-pod resources", () => {
    expect(run(noPrivileged, pod({ containers: [{ name: "a", image: "x:1" }, sc({ privileged: false }, "b")] }))).toEqual([]);
    expect(run(noPrivileged, service)).toEqual([]);
  });

  it("flags regular, init and ephemeral containers with exact paths", () => {
    const v = run(noPrivileged, pod({ containers: [sc({}, "ok"), sc({ privileged: true }, "bad")], initContainers: [sc({ privileged: true }, "init")], ephemeralContainers: [sc({ privileged: true }, "dbg")] }));
    expect(where(v)).toEqual([
      ["bad", "spec.containers[1].securityContext.privileged"],
      ["init", "spec.initContainers[0].securityContext.privileged"],
      ["dbg", "spec.ephemeralContainers[0].securityContext.privileged"],
    ]);
    expect(v[0]?.evidence).toBe("privileged: true");
    expect(v[0]?.message).toContain('"bad"');
  });

  it("follows Deployment and CronJob nesting", () => {
    expect(where(run(noPrivileged, deployment({ containers: [sc({ privileged: true })] })))).toEqual([["app", "spec.template.spec.containers[0].securityContext.privileged"]]);
    expect(where(run(noPrivileged, cronJob({ containers: [sc({ privileged: true })] })))).toEqual([["app", "spec.jobTemplate.spec.template.spec.containers[0].securityContext.privileged"]]);
  });

  it("reads YAML 1.1 booleans the way Kubernetes does", () => {
    const [doc] = parseManifests("kind: Pod\nmetadata: {name: p}\nspec:\n  containers:\n  - name: app\n    image: x:1\n    securityContext: {privileged: yes}\n", "t.yaml");
    expect(noPrivileged.check({ resource: toResource(doc?.object ?? {}), images: {}, settings: SETTINGS })).toHaveLength(1);
  });

  it("ignores truthy non-booleans (Kubernetes rejects them)", () => {
    expect(run(noPrivileged, pod({ containers: [sc({ privileged: "true" })] }))).toEqual([]);
  });

  it("flags Windows HostProcess at pod level once, and at container level", () => {
    const podLevel = run(noPrivileged, pod({ securityContext: { windowsOptions: { hostProcess: true } }, containers: [sc({ windowsOptions: { hostProcess: true } })] }));
    expect(where(podLevel)).toEqual([[undefined, "spec.securityContext.windowsOptions.hostProcess"]]);
    expect(where(run(noPrivileged, deployment({ containers: [sc({ windowsOptions: { hostProcess: true } })] })))).toEqual([
      ["app", "spec.template.spec.containers[0].securityContext.windowsOptions.hostProcess"],
    ]);
  });
});

describe("no-privilege-escalation", () => {
  it("passes when every container sets allowPrivilegeEscalation false", () => {
    expect(run(noPrivilegeEscalation, pod({ containers: [sc({ allowPrivilegeEscalation: false })], initContainers: [sc({ allowPrivilegeEscalation: false }, "i")] }))).toEqual([]);
  });

  it("flags unset and true, in every kind of container", () => {
    const v = run(noPrivilegeEscalation, pod({ containers: [{ name: "a", image: "x:1" }, sc({ allowPrivilegeEscalation: true }, "b")], initContainers: [sc({}, "i")], ephemeralContainers: [sc({}, "e")] }));
    expect(where(v)).toEqual([
      ["a", "spec.containers[0].securityContext.allowPrivilegeEscalation"],
      ["b", "spec.containers[1].securityContext.allowPrivilegeEscalation"],
      ["i", "spec.initContainers[0].securityContext.allowPrivilegeEscalation"],
      ["e", "spec.ephemeralContainers[0].securityContext.allowPrivilegeEscalation"],
    ]);
    expect(v.map((x) => x.evidence)).toEqual(["allowPrivilegeEscalation: not set", "allowPrivilegeEscalation: true", "allowPrivilegeEscalation: not set", "allowPrivilegeEscalation: not set"]);
  });

  it("treats privileged as escalation even with allowPrivilegeEscalation false", () => {
    const v = run(noPrivilegeEscalation, deployment({ containers: [sc({ privileged: true, allowPrivilegeEscalation: false })] }));
    expect(where(v)).toEqual([["app", "spec.template.spec.containers[0].securityContext.privileged"]]);
    expect(v[0]?.evidence).toBe("privileged: true, allowPrivilegeEscalation: false");
  });

  it.each(["SYS_ADMIN", "sys_admin", "CAP_SYS_ADMIN", "cap_sys_admin"])("treats added %s as escalation", (cap) => {
    const v = run(noPrivilegeEscalation, cronJob({ containers: [sc({ allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE", cap] } })] }));
    expect(where(v)).toEqual([["app", "spec.jobTemplate.spec.template.spec.containers[0].securityContext.capabilities.add[1]"]]);
  });

  it("does not judge Windows pods, where the field does not exist", () => {
    expect(run(noPrivilegeEscalation, pod({ os: { name: "windows" }, containers: [{ name: "w", image: "mcr.microsoft.com/windows/nanoserver:ltsc2022" }] }))).toEqual([]);
  });

  it("returns nothing for non-pod resources", () => {
    expect(run(noPrivilegeEscalation, service)).toEqual([]);
  });
});

describe("run-as-non-root", () => {
  it("passes with runAsNonRoot at pod level for every container", () => {
    expect(run(runAsNonRoot, pod({ securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [sc({}, "a"), sc({}, "b")], initContainers: [sc({}, "i")] }))).toEqual([]);
  });

  it("passes with runAsNonRoot on every container and nothing on the pod", () => {
    expect(run(runAsNonRoot, pod({ containers: [sc({ runAsNonRoot: true }, "a"), sc({ runAsNonRoot: true, runAsUser: 1 }, "b")] }))).toEqual([]);
  });

  it("flags containers with nothing set, at the container's field", () => {
    const v = run(runAsNonRoot, deployment({ containers: [sc({ runAsNonRoot: true }, "a"), { name: "b", image: "x:1" }], initContainers: [{ name: "i", image: "x:1" }] }));
    expect(where(v)).toEqual([
      ["b", "spec.template.spec.containers[1].securityContext.runAsNonRoot"],
      ["i", "spec.template.spec.initContainers[0].securityContext.runAsNonRoot"],
    ]);
  });

  it("lets a container override the pod in both directions", () => {
    const v = run(runAsNonRoot, pod({ securityContext: { runAsNonRoot: true }, containers: [sc({ runAsNonRoot: false }, "opt-out"), sc({}, "inherits")] }));
    expect(where(v)).toEqual([["opt-out", "spec.containers[0].securityContext.runAsNonRoot"]]);
    expect(v[0]?.evidence).toBe("runAsNonRoot: false");
    const v2 = run(runAsNonRoot, pod({ securityContext: { runAsNonRoot: false }, containers: [sc({ runAsNonRoot: true }, "opt-in"), sc({}, "inherits")] }));
    expect(where(v2)).toEqual([["inherits", "spec.securityContext.runAsNonRoot"]]);
    expect(v2[0]?.evidence).toBe("pod runAsNonRoot: false");
  });

  it("flags runAsUser 0 on the pod even when containers override it", () => {
    const v = run(runAsNonRoot, pod({ securityContext: { runAsNonRoot: true, runAsUser: 0 }, containers: [sc({ runAsUser: 1000 })] }));
    expect(where(v)).toEqual([[undefined, "spec.securityContext.runAsUser"]]);
  });

  it("flags runAsUser 0 on a container, ephemeral included, even with runAsNonRoot true", () => {
    const v = run(runAsNonRoot, pod({ securityContext: { runAsNonRoot: true, runAsUser: 1000 }, containers: [sc({ runAsUser: 0 }, "a")], ephemeralContainers: [sc({ runAsUser: 0 }, "dbg")] }));
    expect(where(v)).toEqual([
      ["a", "spec.containers[0].securityContext.runAsUser"],
      ["dbg", "spec.ephemeralContainers[0].securityContext.runAsUser"],
    ]);
    expect(v[0]?.evidence).toBe("runAsUser: 0");
  });

  it("reports both problems of one container", () => {
    expect(run(runAsNonRoot, pod({ containers: [sc({ runAsUser: 0 })] }))).toHaveLength(2);
  });
});

describe("read-only-root-fs", () => {
  it("passes read-only regular and init containers, ignoring ephemeral ones", () => {
    const spec = { containers: [sc({ readOnlyRootFilesystem: true })], initContainers: [sc({ readOnlyRootFilesystem: true }, "i")], ephemeralContainers: [{ name: "dbg", image: "busybox:1" }] };
    expect(run(readOnlyRootFs, pod(spec))).toEqual([]);
  });

  it("flags unset and false on regular and init containers", () => {
    const v = run(readOnlyRootFs, cronJob({ containers: [sc({ readOnlyRootFilesystem: false }, "a")], initContainers: [{ name: "i", image: "x:1" }] }));
    expect(where(v)).toEqual([
      ["a", "spec.jobTemplate.spec.template.spec.containers[0].securityContext.readOnlyRootFilesystem"],
      ["i", "spec.jobTemplate.spec.template.spec.initContainers[0].securityContext.readOnlyRootFilesystem"],
    ]);
    expect(v.map((x) => x.evidence)).toEqual(["readOnlyRootFilesystem: false", "readOnlyRootFilesystem: not set"]);
  });

  it("does not judge Windows pods or non-pod resources", () => {
    expect(run(readOnlyRootFs, pod({ os: { name: "windows" }, containers: [{ name: "w", image: "x:1" }] }))).toEqual([]);
    expect(run(readOnlyRootFs, service)).toEqual([]);
  });
});

describe("drop-all-capabilities", () => {
  it.each([[["ALL"]], [["all"]], [["NET_RAW", "All"]]])("accepts drop %j", (drop) => {
    expect(run(dropAllCapabilities, pod({ containers: [sc({ capabilities: { drop } })] }))).toEqual([]);
  });

  it.each(["NET_BIND_SERVICE", "net_bind_service", "CAP_NET_BIND_SERVICE", "Cap_Net_Bind_Service"])("accepts adding %s back", (cap) => {
    expect(run(dropAllCapabilities, pod({ containers: [sc({ capabilities: { drop: ["ALL"], add: [cap] } })] }))).toEqual([]);
  });

  it("flags a missing or partial drop at the drop list", () => {
    const v = run(dropAllCapabilities, deployment({ containers: [{ name: "a", image: "x:1" }, sc({ capabilities: { drop: ["NET_RAW"] } }, "b"), sc({ capabilities: { drop: ["CAP_ALL"] } }, "c")] }));
    expect(where(v)).toEqual([
      ["a", "spec.template.spec.containers[0].securityContext.capabilities.drop"],
      ["b", "spec.template.spec.containers[1].securityContext.capabilities.drop"],
      ["c", "spec.template.spec.containers[2].securityContext.capabilities.drop"],
    ]);
    expect(v[1]?.evidence).toBe('capabilities.drop: ["NET_RAW"]');
  });

  it("flags each added capability other than NET_BIND_SERVICE, whatever its spelling", () => {
    const v = run(dropAllCapabilities, pod({ initContainers: [sc({ capabilities: { drop: ["ALL"], add: ["cap_sys_ptrace", "NET_BIND_SERVICE", "NET_ADMIN", "ALL"] } }, "i")] }));
    expect(where(v)).toEqual([
      ["i", "spec.initContainers[0].securityContext.capabilities.add[0]"],
      ["i", "spec.initContainers[0].securityContext.capabilities.add[2]"],
      ["i", "spec.initContainers[0].securityContext.capabilities.add[3]"],
    ]);
    expect(v[0]?.message).toContain("SYS_PTRACE");
  });

  it("judges ephemeral containers and skips Windows pods", () => {
    expect(where(run(dropAllCapabilities, pod({ containers: [sc({ capabilities: { drop: ["ALL"] } })], ephemeralContainers: [{ name: "dbg", image: "busybox:1" }] })))).toEqual([
      ["dbg", "spec.ephemeralContainers[0].securityContext.capabilities.drop"],
    ]);
    expect(run(dropAllCapabilities, pod({ os: { name: "windows" }, containers: [{ name: "w", image: "x:1" }] }))).toEqual([]);
  });
});
