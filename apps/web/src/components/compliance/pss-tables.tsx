import { type PssStat } from "@bulwark/core";
import Link from "next/link";
import { percent, pssHref } from "./links.ts";

// Pod Security Standards pass rates: baseline passes at level baseline or restricted, restricted only
// at restricted; rates are over evaluated workloads, the unevaluated ones are counted beside them.

function Cells({ pss, href }: { pss: PssStat; href: string }) {
  return (
    <>
      <td className="tabular-nums" data-testid="pss-baseline">
        {percent(pss.baselineRatio)} <span className="text-xs text-muted">({pss.baseline.toLocaleString("en-US")}/{pss.evaluated.toLocaleString("en-US")})</span>
      </td>
      <td className="tabular-nums" data-testid="pss-restricted">
        {percent(pss.restrictedRatio)} <span className="text-xs text-muted">({pss.restricted.toLocaleString("en-US")}/{pss.evaluated.toLocaleString("en-US")})</span>
      </td>
      <td className="tabular-nums">
        {pss.privileged > 0 ? (
          <Link href={href} className="text-accent underline">
            {pss.privileged.toLocaleString("en-US")}
          </Link>
        ) : (
          "0"
        )}
      </td>
      <td className="tabular-nums">{pss.unevaluated.toLocaleString("en-US")}</td>
    </>
  );
}

const HEAD = (
  <>
    <th scope="col">Baseline pass</th>
    <th scope="col">Restricted pass</th>
    <th scope="col">Failing baseline</th>
    <th scope="col">Not evaluated</th>
  </>
);

export function PssClusterTable({ clusters }: { clusters: Array<{ name: string; workloads: number; pss: PssStat }> }) {
  return (
    <table className="table" data-testid="pss-clusters">
      <caption className="sr-only">Pod Security Standards pass rates per cluster</caption>
      <thead>
        <tr>
          <th scope="col">Cluster</th>
          <th scope="col">Workloads</th>
          {HEAD}
        </tr>
      </thead>
      <tbody>
        {clusters.map((c) => (
          <tr key={c.name} data-testid={`pss-cluster-${c.name}`}>
            <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
              {c.name}
            </th>
            <td className="tabular-nums">{c.workloads.toLocaleString("en-US")}</td>
            <Cells pss={c.pss} href={pssHref(c.name)} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function PssNamespaceTable({ namespaces }: { namespaces: Array<{ id: string; cluster: string; name: string; workloads: number; pss: PssStat }> }) {
  return (
    <table className="table" data-testid="pss-namespaces">
      <caption className="sr-only">Pod Security Standards pass rates per namespace</caption>
      <thead>
        <tr>
          <th scope="col">Namespace</th>
          <th scope="col">Cluster</th>
          <th scope="col">Workloads</th>
          {HEAD}
        </tr>
      </thead>
      <tbody>
        {namespaces.map((n) => (
          <tr key={n.id} data-testid={`pss-namespace-${n.cluster}-${n.name}`}>
            <th scope="row" className="text-left text-sm font-medium tracking-normal text-fg normal-case">
              {n.name}
            </th>
            <td>{n.cluster}</td>
            <td className="tabular-nums">{n.workloads.toLocaleString("en-US")}</td>
            <Cells pss={n.pss} href={pssHref(n.cluster, n.name)} />
          </tr>
        ))}
      </tbody>
    </table>
  );
}
