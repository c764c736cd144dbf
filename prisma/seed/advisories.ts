import { type Severity } from "@bulwark/db";

// Public advisories the demo images are affected by. Ids, scores and fixed versions follow the public
// records (NVD, OSV/GHSA, Debian/Alpine trackers); severity is the vendor rating a scanner would report.

export type Ecosystem = "deb" | "apk" | "npm" | "pypi" | "golang";

export interface AffectedSpec {
  ecosystem: Ecosystem;
  package: string;
  fixed?: string;
}

export interface AdvisorySpec {
  externalId: string;
  aliases: string[];
  source: string;
  /** The one-line title scanners show (Trivy takes it from the vendor advisory). */
  title: string;
  summary: string;
  severity: Severity;
  cvssScore: number;
  cvssVector: string | null;
  publishedAt: string;
  modifiedAt: string;
  affected: AffectedSpec[];
}

export const ADVISORIES: AdvisorySpec[] = [
  {
    externalId: "CVE-2023-44487",
    aliases: ["GHSA-qppj-fm5r-hxr3", "GHSA-m425-mq94-257g"],
    source: "nvd",
    title: "HTTP/2: Multiple HTTP/2 enabled web servers are vulnerable to a DDoS attack (Rapid Reset Attack)",
    summary: "HTTP/2 Rapid Reset: a client can cancel streams as fast as it opens them and exhaust the server (denial of service).",
    severity: "HIGH",
    cvssScore: 7.5,
    cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H",
    publishedAt: "2023-10-10",
    modifiedAt: "2024-06-27",
    affected: [
      { ecosystem: "golang", package: "golang.org/x/net", fixed: "v0.17.0" },
      { ecosystem: "golang", package: "google.golang.org/grpc", fixed: "v1.58.3" },
    ],
  },
  {
    externalId: "CVE-2024-3094",
    aliases: [],
    source: "nvd",
    title: "xz: malicious code in distributed source",
    summary: "Malicious code in the xz 5.6.0 and 5.6.1 release tarballs: a backdoored liblzma can compromise sshd authentication.",
    severity: "CRITICAL",
    cvssScore: 10,
    cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
    publishedAt: "2024-03-29",
    modifiedAt: "2024-11-21",
    affected: [
      { ecosystem: "deb", package: "liblzma5", fixed: "5.6.1+really5.4.5-1" },
      { ecosystem: "deb", package: "xz-utils", fixed: "5.6.1+really5.4.5-1" },
    ],
  },
  {
    externalId: "CVE-2023-4863",
    aliases: ["GHSA-j7hp-h8jx-5ppr"],
    source: "nvd",
    title: "libwebp: Heap buffer overflow in WebP Codec",
    summary: "Heap buffer overflow in libwebp's lossless decoder: a crafted WebP image writes out of bounds.",
    severity: "HIGH",
    cvssScore: 8.8,
    cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H",
    publishedAt: "2023-09-12",
    modifiedAt: "2024-01-07",
    affected: [
      { ecosystem: "deb", package: "libwebp7", fixed: "1.2.4-0.2+deb12u1" },
      { ecosystem: "pypi", package: "pillow", fixed: "10.0.1" },
      { ecosystem: "npm", package: "sharp", fixed: "0.32.6" },
    ],
  },
  {
    externalId: "CVE-2024-6387",
    aliases: ["DSA-5724-1"],
    source: "nvd",
    title: "openssh: regreSSHion - race condition in SSH allows RCE/DoS",
    summary: "regreSSHion: a signal handler race in OpenSSH's sshd allows unauthenticated remote code execution as root on glibc systems.",
    severity: "HIGH",
    cvssScore: 8.1,
    cvssVector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:H/A:H",
    publishedAt: "2024-07-01",
    modifiedAt: "2024-09-27",
    affected: [{ ecosystem: "deb", package: "openssh-server", fixed: "1:9.7p1-7" }],
  },
  {
    externalId: "CVE-2023-5363",
    aliases: ["DSA-5532-1"],
    source: "nvd",
    title: "openssl: Incorrect cipher key and IV length processing",
    summary: "OpenSSL processes cipher key and IV lengths incorrectly after initialisation, truncating or overreading keys and IVs.",
    severity: "HIGH",
    cvssScore: 7.5,
    cvssVector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N",
    publishedAt: "2023-10-25",
    modifiedAt: "2024-02-01",
    affected: [
      { ecosystem: "deb", package: "libssl3", fixed: "3.0.11-1~deb12u2" },
      { ecosystem: "apk", package: "libcrypto3", fixed: "3.1.4-r0" },
      { ecosystem: "apk", package: "libssl3", fixed: "3.1.4-r0" },
    ],
  },
  {
    externalId: "CVE-2023-45803",
    aliases: ["GHSA-g4mx-q9vg-27p4"],
    source: "ghsa",
    title: "urllib3: Request body not stripped after redirect from 303 status changes request method to GET",
    summary: "urllib3 keeps the request body when a 303 redirect turns the request into a GET, which can leak it to another host.",
    severity: "MEDIUM",
    cvssScore: 4.2,
    cvssVector: "CVSS:3.1/AV:N/AC:H/PR:H/UI:R/S:U/C:H/I:N/A:N",
    publishedAt: "2023-10-17",
    modifiedAt: "2024-02-01",
    affected: [{ ecosystem: "pypi", package: "urllib3", fixed: "1.26.18" }],
  },
  {
    externalId: "CVE-2022-23540",
    aliases: ["GHSA-qwph-4952-7xr6"],
    source: "ghsa",
    title: "jsonwebtoken: Insecure default algorithm in jwt.verify() could lead to signature validation bypass",
    summary: "jsonwebtoken: an insecure default algorithm in jwt.verify() can let unsigned tokens pass signature validation.",
    severity: "MEDIUM",
    cvssScore: 6.4,
    cvssVector: null,
    publishedAt: "2022-12-22",
    modifiedAt: "2023-11-07",
    affected: [{ ecosystem: "npm", package: "jsonwebtoken", fixed: "9.0.0" }],
  },
  {
    externalId: "CVE-2011-3374",
    aliases: [],
    source: "nvd",
    title: "apt: apt-key does not correctly validate keys from the master keyring",
    summary: "apt-key does not correctly validate keys from the master keyring, which may allow a man-in-the-middle to inject packages.",
    severity: "LOW",
    cvssScore: 3.7,
    cvssVector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:N/I:L/A:N",
    publishedAt: "2019-11-26",
    modifiedAt: "2024-11-21",
    affected: [{ ecosystem: "deb", package: "apt" }],
  },
  {
    externalId: "CVE-2023-4039",
    aliases: [],
    source: "nvd",
    title: "gcc: -fstack-protector fails to guard dynamic stack allocations on ARM64",
    summary: "GCC's -fstack-protector does not guard dynamically-sized local variables on AArch64.",
    severity: "LOW",
    cvssScore: 4.8,
    cvssVector: "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:L/I:L/A:N",
    publishedAt: "2023-09-13",
    modifiedAt: "2024-11-21",
    affected: [
      { ecosystem: "deb", package: "libgcc-s1" },
      { ecosystem: "deb", package: "libstdc++6" },
    ],
  },
];

const BY_ID = new Map(ADVISORIES.map((a) => [a.externalId, a]));

export function advisory(id: string): AdvisorySpec {
  const a = BY_ID.get(id);
  if (!a) throw new Error(`seed: unknown advisory ${id}`);
  return a;
}

export function fixedVersion(id: string, ecosystem: Ecosystem, pkg: string): string | null {
  return advisory(id).affected.find((x) => x.ecosystem === ecosystem && x.package === pkg)?.fixed ?? null;
}
