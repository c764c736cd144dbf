export const NAV_ITEMS = [
  { href: "/", label: "Overview" },
  { href: "/clusters", label: "Clusters" },
  { href: "/workloads", label: "Workloads" },
  { href: "/images", label: "Images" },
  { href: "/findings", label: "Findings" },
  { href: "/policies", label: "Policies" },
  { href: "/enforcement", label: "Enforcement" },
  { href: "/runtime", label: "Runtime" },
  { href: "/exceptions", label: "Exceptions" },
  { href: "/connectors", label: "Connectors" },
  { href: "/audit", label: "Audit log" },
  { href: "/settings", label: "Settings" },
] as const;
