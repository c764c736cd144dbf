import { describe, expect, it } from "vitest";
import { exposedRuntimeSocket, noDockerSocket, noHostNamespaces, noHostPath, noHostPorts } from "./host.ts";
import { cronJob, deployment, pod, run, where } from "./testing.ts";

const app = { name: "app", image: "nginx:1.27" };
const hostVol = (name: string, path: string, type?: string) => ({ name, hostPath: type ? { path, type } : { path } });
const service = { apiVersion: "v1", kind: "Service", metadata: { name: "s" }, spec: {} };

describe("no-host-namespaces", () => {
  it("passes pods that share nothing (or set false)", () => {
    expect(run(noHostNamespaces, pod({ containers: [app] }))).toEqual([]);
    expect(run(noHostNamespaces, pod({ hostNetwork: false, hostPID: false, hostIPC: false, containers: [app] }))).toEqual([]);
    expect(run(noHostNamespaces, service)).toEqual([]);
  });

  it("flags each shared namespace at its pod-spec field", () => {
    const v = run(noHostNamespaces, deployment({ hostNetwork: true, hostPID: true, hostIPC: true, containers: [app] }));
    expect(where(v)).toEqual([
      [undefined, "spec.template.spec.hostNetwork"],
      [undefined, "spec.template.spec.hostPID"],
      [undefined, "spec.template.spec.hostIPC"],
    ]);
    expect(v.map((x) => x.evidence)).toEqual(["hostNetwork: true", "hostPID: true", "hostIPC: true"]);
  });

  it("follows CronJob nesting", () => {
    expect(where(run(noHostNamespaces, cronJob({ hostPID: true, containers: [app] })))).toEqual([[undefined, "spec.jobTemplate.spec.template.spec.hostPID"]]);
  });
});

describe("no-host-path", () => {
  it("passes other volume types", () => {
    const volumes = [{ name: "tmp", emptyDir: {} }, { name: "cfg", configMap: { name: "c" } }, { name: "s", secret: { secretName: "s" } }, "garbage"];
    expect(run(noHostPath, pod({ containers: [app], volumes }))).toEqual([]);
  });

  it("flags every hostPath volume with its path", () => {
    const v = run(noHostPath, deployment({ containers: [app], volumes: [{ name: "tmp", emptyDir: {} }, hostVol("logs", "/var/log"), hostVol("root", "/")] }));
    expect(where(v)).toEqual([
      [undefined, "spec.template.spec.volumes[1].hostPath"],
      [undefined, "spec.template.spec.volumes[2].hostPath"],
    ]);
    expect(v[0]?.evidence).toBe("hostPath.path: /var/log");
    expect(v[0]?.message).toContain('"logs"');
  });

  it("returns nothing for non-pod resources", () => {
    expect(run(noHostPath, service)).toEqual([]);
  });
});

describe("no-host-ports", () => {
  it("passes containerPort only and hostPort 0", () => {
    expect(run(noHostPorts, pod({ containers: [{ ...app, ports: [{ containerPort: 80 }, { containerPort: 81, hostPort: 0 }] }] }))).toEqual([]);
  });

  it("flags each hostPort in regular and init containers", () => {
    const v = run(noHostPorts, pod({
      containers: [{ ...app, ports: [{ containerPort: 80 }, { containerPort: 443, hostPort: 8443 }] }],
      initContainers: [{ name: "i", image: "x:1", ports: [{ containerPort: 53, hostPort: 53, protocol: "UDP" }] }],
    }));
    expect(where(v)).toEqual([
      ["app", "spec.containers[0].ports[1].hostPort"],
      ["i", "spec.initContainers[0].ports[0].hostPort"],
    ]);
    expect(v[0]?.evidence).toBe("hostPort: 8443, containerPort: 443");
  });

  it("follows CronJob nesting", () => {
    expect(where(run(noHostPorts, cronJob({ containers: [{ ...app, ports: [{ containerPort: 1, hostPort: 1 }] }] })))).toEqual([
      ["app", "spec.jobTemplate.spec.template.spec.containers[0].ports[0].hostPort"],
    ]);
  });
});

describe("no-docker-socket", () => {
  it.each([
    "/var/run/docker.sock",
    "/run/docker.sock",
    "/var/run/docker.sock/",
    "//var//run//docker.sock",
    "/var/run/./docker.sock",
    "/var/lib/../run/docker.sock",
    "/var/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock",
    "/run/containerd/containerd.sock.ttrpc",
    "/run/containerd",
    "/run/containerd/",
    "/var/run/crio/crio.sock",
    "/run/crio",
    "/var/run/cri-dockerd.sock",
    "/run/k3s/containerd/containerd.sock",
    "/run/podman/podman.sock",
    "/run/user/1000/docker.sock",
    "/var/run",
    "/var/run/",
    "/run",
    "/var",
    "/",
  ])("flags %s", (path) => {
    expect(exposedRuntimeSocket(path)).toBeDefined();
    const v = run(noDockerSocket, pod({ containers: [app], volumes: [hostVol("sock", path)] }));
    expect(where(v)).toEqual([[undefined, "spec.volumes[0].hostPath.path"]]);
    expect(v[0]?.evidence).toBe(`hostPath.path: ${path}`);
  });

  it.each(["/var/log", "/var/lib/kubelet/pods", "/etc/ssl/certs", "/run/secrets/app", "/var/run/app", "/home/docker.socks", "/runner"])("does not flag %s", (path) => {
    expect(exposedRuntimeSocket(path)).toBeUndefined();
    expect(run(noDockerSocket, pod({ containers: [app], volumes: [hostVol("v", path)] }))).toEqual([]);
  });

  it("names the socket a parent directory exposes", () => {
    const [v] = run(noDockerSocket, deployment({ containers: [app], volumes: [{ name: "tmp", emptyDir: {} }, hostVol("run", "/var/run/", "Directory")] }));
    expect(v?.path).toBe("spec.template.spec.volumes[1].hostPath.path");
    expect(v?.message).toContain("/var/run/docker.sock");
  });

  it("ignores malformed volumes and non-pod resources", () => {
    expect(run(noDockerSocket, pod({ containers: [app], volumes: [{ name: "x", hostPath: { path: 7 } }, { name: "y", hostPath: "/var/run" }] }))).toEqual([]);
    expect(run(noDockerSocket, service)).toEqual([]);
  });
});
