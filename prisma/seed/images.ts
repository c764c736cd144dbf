import { type Severity } from "@bulwark/db";
import { type Ecosystem } from "./advisories.ts";
import { canonicalRef } from "./util.ts";

// The demo image catalog: what an SBOM scan of each image would have found. Keys are canonical
// references; an organization gets an Image row for every catalog image its workloads run.

export interface PackageSpec {
  ecosystem: Ecosystem;
  name: string;
  version: string;
  license?: string;
  /** Advisory ids this package version is affected by. */
  vulns?: string[];
}

export interface SecretSpec {
  rule: string;
  /** Trivy's secret category ("AWS", "npm", "AsymmetricPrivateKey"). */
  category: string;
  title: string;
  path: string;
  severity: Severity;
  match: string;
}

export interface ImageSpec {
  ref: string;
  os: { family: string; name: string } | null;
  signed: boolean | null;
  packages: PackageSpec[];
  secrets?: SecretSpec[];
  /** The registry's malware scanner flags it with this ClamAV signature. */
  malware?: { rule: string; path: string };
  /** Trivy's image-config (Dockerfile) checks that fail, e.g. "DS002" (runs as root). */
  dockerfile?: string[];
  /** CI also published a CycloneDX SBOM for it. */
  sbom?: true;
  /** No longer runs anywhere: only its build-time SBOM is posted, no scans. */
  retired?: true;
}

const pkg = (ecosystem: Ecosystem, name: string, version: string, license?: string, vulns?: string[]): PackageSpec => ({
  ecosystem,
  name,
  version,
  ...(license ? { license } : {}),
  ...(vulns?.length ? { vulns } : {}),
});

const DEBIAN = { family: "debian", name: "12.4" };
const ALPINE_318 = { family: "alpine", name: "3.18.4" };
const ALPINE_319 = { family: "alpine", name: "3.19.0" };

function debianBase(opts: { patchedSsl?: boolean; apt?: boolean } = {}): PackageSpec[] {
  const ssl = opts.patchedSsl ? "3.0.11-1~deb12u2" : "3.0.11-1~deb12u1";
  return [
    pkg("deb", "libc6", "2.36-9+deb12u3", "LGPL-2.1"),
    pkg("deb", "libssl3", ssl, "Apache-2.0", opts.patchedSsl ? [] : ["CVE-2023-5363"]),
    pkg("deb", "libgcc-s1", "12.2.0-14", "GPL-3.0", ["CVE-2023-4039"]),
    pkg("deb", "zlib1g", "1:1.2.13.dfsg-1", "Zlib"),
    pkg("deb", "tzdata", "2024a-0+deb12u1", "public-domain"),
    ...(opts.apt === false ? [] : [pkg("deb", "apt", "2.6.1", "GPL-2.0", ["CVE-2011-3374"]), pkg("deb", "bash", "5.2.15-2+b2", "GPL-3.0")]),
  ];
}

function alpineBase(vulnerableSsl: boolean): PackageSpec[] {
  const ssl = vulnerableSsl ? "3.1.3-r0" : "3.1.4-r5";
  const vulns = vulnerableSsl ? ["CVE-2023-5363"] : [];
  return [
    pkg("apk", "musl", "1.2.4-r2", "MIT"),
    pkg("apk", "busybox", "1.36.1-r5", "GPL-2.0-only"),
    pkg("apk", "libcrypto3", ssl, "Apache-2.0", vulns),
    pkg("apk", "libssl3", ssl, "Apache-2.0", vulns),
    pkg("apk", "zlib", "1.2.13-r1", "Zlib"),
    pkg("apk", "ca-certificates", "20230506-r0", "MPL-2.0 AND MIT"),
  ];
}

const go = (name: string, version: string, vulns?: string[]) => pkg("golang", name, version, undefined, vulns);

const CATALOG: ImageSpec[] = [
  {
    ref: "ghcr.io/acme/payments-api:2.14.0",
    os: { family: "debian", name: "12.4 (distroless)" },
    signed: true,
    sbom: true,
    packages: [
      ...debianBase({ patchedSsl: true, apt: false }),
      go("stdlib", "v1.21.5"),
      go("golang.org/x/net", "v0.19.0"),
      go("google.golang.org/grpc", "v1.60.1"),
      go("github.com/jackc/pgx/v5", "v5.5.1"),
    ],
  },
  {
    ref: "ghcr.io/acme/payments-api:2.15.0-rc.1",
    os: { family: "debian", name: "12.4 (distroless)" },
    signed: true,
    packages: [...debianBase({ patchedSsl: true, apt: false }), go("stdlib", "v1.21.6"), go("golang.org/x/net", "v0.20.0"), go("google.golang.org/grpc", "v1.61.0")],
  },
  {
    // Replaced by 2.14.0 (see the prod cluster's snapshots); only its build-time SBOM is on record.
    ref: "ghcr.io/acme/payments-api:2.13.1",
    os: { family: "debian", name: "12.2 (distroless)" },
    signed: true,
    retired: true,
    packages: [
      ...debianBase({ apt: false }),
      go("stdlib", "v1.21.1"),
      go("golang.org/x/net", "v0.15.0", ["CVE-2023-44487"]),
      go("google.golang.org/grpc", "v1.58.2", ["CVE-2023-44487"]),
    ],
  },
  { ref: "ghcr.io/acme/db-migrate:1.8.2", os: ALPINE_318, signed: true, packages: [...alpineBase(true), go("github.com/golang-migrate/migrate/v4", "v4.16.2")] },
  {
    ref: "ghcr.io/acme/fraud-scorer:0.9.3",
    os: DEBIAN,
    signed: false,
    dockerfile: ["DS002"],
    packages: [
      ...debianBase(),
      pkg("pypi", "requests", "2.31.0", "Apache-2.0"),
      pkg("pypi", "urllib3", "1.26.17", "MIT", ["CVE-2023-45803"]),
      pkg("pypi", "pillow", "10.0.0", "HPND", ["CVE-2023-4863"]),
      pkg("pypi", "numpy", "1.26.2", "BSD-3-Clause"),
      pkg("pypi", "scikit-learn", "1.3.2", "BSD-3-Clause"),
    ],
  },
  { ref: "ghcr.io/acme/ledger-reconcile:1.2.0", os: null, signed: true, packages: [go("stdlib", "v1.21.5"), go("github.com/jackc/pgx/v5", "v5.5.1")] },
  {
    ref: "ghcr.io/acme/checkout-web:3.4.1",
    os: ALPINE_318,
    signed: true,
    packages: [
      ...alpineBase(true),
      pkg("npm", "next", "14.0.4", "MIT"),
      pkg("npm", "react", "18.2.0", "MIT"),
      pkg("npm", "jsonwebtoken", "8.5.1", "MIT", ["CVE-2022-23540"]),
      pkg("npm", "@opentelemetry/api", "1.7.0", "Apache-2.0"),
    ],
  },
  {
    ref: "ghcr.io/acme/checkout-web:3.5.0",
    os: ALPINE_319,
    signed: true,
    packages: [...alpineBase(false), pkg("npm", "next", "14.1.0", "MIT"), pkg("npm", "react", "18.2.0", "MIT"), pkg("npm", "jsonwebtoken", "9.0.2", "MIT")],
  },
  { ref: "docker.io/library/nginx:1.25.3", os: DEBIAN, signed: null, packages: [...debianBase({ patchedSsl: true }), pkg("deb", "nginx", "1.25.3-1~bookworm", "BSD-2-Clause")] },
  {
    ref: "ghcr.io/acme/cart-service:1.19.0",
    os: null,
    signed: true,
    packages: [go("stdlib", "v1.21.1"), go("golang.org/x/net", "v0.15.0", ["CVE-2023-44487"]), go("google.golang.org/grpc", "v1.58.2", ["CVE-2023-44487"]), go("github.com/redis/go-redis/v9", "v9.2.1")],
  },
  { ref: "docker.io/library/redis:7.2.3", os: DEBIAN, signed: null, packages: [...debianBase({ patchedSsl: true }), pkg("deb", "redis", "7.2.3", "BSD-3-Clause")] },
  {
    ref: "ghcr.io/acme/catalog-api:5.2.0",
    os: ALPINE_319,
    signed: true,
    packages: [
      ...alpineBase(false),
      pkg("npm", "express", "4.18.2", "MIT"),
      pkg("npm", "pg", "8.11.3", "MIT"),
      pkg("npm", "sharp", "0.32.5", "Apache-2.0", ["CVE-2023-4863"]),
      pkg("npm", "zod", "3.22.4", "MIT"),
    ],
    secrets: [{ rule: "npm-access-token", category: "npm", title: "npm access token", path: "/app/.npmrc", severity: "HIGH", match: "//registry.npmjs.org/:_authToken=npm_****************************3f9a" }],
  },
  {
    ref: "ghcr.io/acme/image-resizer:0.4.7",
    os: DEBIAN,
    signed: false,
    dockerfile: ["DS026"],
    packages: [...debianBase(), pkg("deb", "libwebp7", "1.2.4-0.2", "BSD-3-Clause", ["CVE-2023-4863"]), pkg("deb", "libvips42", "8.14.1-3", "LGPL-2.1")],
  },
  { ref: "ghcr.io/acme/auth-service:4.0.2", os: { family: "debian", name: "12.4 (distroless)" }, signed: true, sbom: true, packages: [...debianBase({ patchedSsl: true, apt: false }), go("stdlib", "v1.21.5"), go("github.com/go-jose/go-jose/v3", "v3.0.1")] },
  {
    ref: "ghcr.io/acme/legacy-sso:1.0.9",
    os: { family: "debian", name: "trixie/sid (2024-03 snapshot)" },
    signed: false,
    dockerfile: ["DS002", "DS026"],
    packages: [
      ...debianBase(),
      pkg("deb", "liblzma5", "5.6.0-0.2", "PD", ["CVE-2024-3094"]),
      pkg("deb", "xz-utils", "5.6.0-0.2", "PD", ["CVE-2024-3094"]),
      pkg("deb", "openssh-server", "1:9.6p1-3", "BSD-2-Clause", ["CVE-2024-6387"]),
      pkg("deb", "openjdk-17-jre-headless", "17.0.10+7-1", "GPL-2.0-with-classpath-exception"),
    ],
    secrets: [
      {
        rule: "private-key", category: "AsymmetricPrivateKey", title: "Asymmetric Private Key", path: "/etc/ssl/private/sso-signing.key", severity: "HIGH",
        match: "-----BEGIN RSA PRIVATE KEY-----****************************************************************-----END RSA PRIVATE KEY",
      },
    ],
  },
  { ref: "quay.io/prometheus/node-exporter:v1.7.0", os: { family: "busybox", name: "1.36.1" }, signed: null, packages: [go("stdlib", "v1.21.4"), go("github.com/prometheus/procfs", "v0.12.0")] },
  { ref: "quay.io/prometheus/prometheus:v2.48.1", os: { family: "busybox", name: "1.36.1" }, signed: null, packages: [go("stdlib", "v1.21.5"), go("golang.org/x/net", "v0.19.0"), go("google.golang.org/grpc", "v1.59.0")] },
  { ref: "docker.io/grafana/grafana:10.2.3", os: ALPINE_318, signed: null, packages: [...alpineBase(false), go("stdlib", "v1.21.5")] },
  { ref: "docker.io/falcosecurity/falco:0.37.1", os: DEBIAN, signed: null, packages: [...debianBase({ patchedSsl: true }), pkg("deb", "libc6-dev", "2.36-9+deb12u3", "LGPL-2.1")] },
  { ref: "registry.k8s.io/ingress-nginx/controller:v1.9.4", os: ALPINE_318, signed: true, packages: [...alpineBase(false), go("stdlib", "v1.21.3"), go("golang.org/x/net", "v0.17.0")] },
  {
    ref: "registry.k8s.io/ingress-nginx/kube-webhook-certgen:v20231011-8b53cabe0",
    os: null,
    signed: true,
    packages: [go("stdlib", "v1.21.1"), go("golang.org/x/net", "v0.15.0", ["CVE-2023-44487"])],
  },
  { ref: "registry.k8s.io/kube-proxy:v1.31.2", os: { family: "debian", name: "12.7 (distroless-iptables)" }, signed: true, packages: [...debianBase({ patchedSsl: true, apt: false }), pkg("deb", "iptables", "1.8.9-2", "GPL-2.0")] },
  { ref: "registry.k8s.io/kube-proxy:v1.30.5", os: { family: "debian", name: "12.7 (distroless-iptables)" }, signed: true, packages: [...debianBase({ patchedSsl: true, apt: false }), pkg("deb", "iptables", "1.8.9-2", "GPL-2.0")] },
  { ref: "registry.k8s.io/coredns/coredns:v1.11.1", os: null, signed: true, packages: [go("stdlib", "v1.20.7"), go("golang.org/x/net", "v0.14.0", ["CVE-2023-44487"]), go("github.com/miekg/dns", "v1.1.55")] },
  { ref: "docker.io/library/postgres:15.5", os: DEBIAN, signed: null, packages: [...debianBase({ patchedSsl: true }), pkg("deb", "postgresql-15", "15.5-1.pgdg120+1", "PostgreSQL")] },
  { ref: "docker.io/library/busybox:1.36.1", os: { family: "busybox", name: "1.36.1" }, signed: null, packages: [] },
  {
    ref: "ghcr.io/acme/backup-uploader:0.3.1",
    os: ALPINE_318,
    signed: false,
    dockerfile: ["DS002"],
    packages: [...alpineBase(true), pkg("pypi", "boto3", "1.29.0", "Apache-2.0"), pkg("pypi", "urllib3", "1.26.17", "MIT", ["CVE-2023-45803"])],
    secrets: [{ rule: "aws-access-key-id", category: "AWS", title: "AWS Access Key ID", path: "/app/config/.env", severity: "CRITICAL", match: "AWS_ACCESS_KEY_ID=AKIA************7QXM" }],
  },
  {
    // Fictional typo-squatted debugging image that carries a cryptominer.
    ref: "docker.io/k8s-debug-tools/netutils:latest",
    os: ALPINE_318,
    signed: null,
    dockerfile: ["DS002", "DS026"],
    packages: [...alpineBase(true), pkg("apk", "curl", "8.4.0-r0", "curl"), pkg("apk", "bind-tools", "9.18.19-r0", "MPL-2.0")],
    // An XMRig cryptominer hidden as a kernel worker.
    malware: { rule: "Multios.Coinminer.Miner-6781728-2", path: "/usr/local/bin/kworkerd" },
  },
  {
    // The image of a debug pod someone ran in prod for a while (see the prod cluster's snapshots).
    ref: "docker.io/curlimages/curl:8.5.0",
    os: ALPINE_319,
    signed: null,
    retired: true,
    packages: [...alpineBase(false), pkg("apk", "curl", "8.5.0-r0", "curl"), pkg("apk", "libcurl", "8.5.0-r0", "curl"), pkg("apk", "nghttp2-libs", "1.58.0-r0", "MIT")],
  },
  {
    ref: "ghcr.io/globex/storefront-api:1.3.0",
    os: ALPINE_318,
    signed: false,
    dockerfile: ["DS002"],
    packages: [...alpineBase(true), pkg("npm", "express", "4.18.2", "MIT"), pkg("npm", "jsonwebtoken", "8.5.1", "MIT", ["CVE-2022-23540"])],
  },
];

const BY_REF = new Map(CATALOG.map((i) => [i.ref, i]));

export function imageSpec(ref: string): ImageSpec {
  const spec = BY_REF.get(canonicalRef(ref));
  if (!spec) throw new Error(`seed: image ${ref} is not in the catalog`);
  return spec;
}

export function purl(p: PackageSpec, os: ImageSpec["os"]): string {
  const at = `@${encodeURIComponent(p.version)}`;
  switch (p.ecosystem) {
    case "deb":
      return `pkg:deb/debian/${p.name}${at}?arch=amd64&distro=debian-12`;
    case "apk":
      return `pkg:apk/alpine/${p.name}${at}?arch=x86_64&distro=${os?.name.split(" ")[0] ?? "3.18"}`;
    case "npm":
      return `pkg:npm/${p.name.replace("@", "%40")}${at}`;
    case "pypi":
      return `pkg:pypi/${p.name}${at}`;
    case "golang":
      return `pkg:golang/${p.name}${at}`;
  }
}
