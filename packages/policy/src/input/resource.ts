import type { ContainerKind, ContainerRef, JsonObject, Resource } from "../types.ts";
import { arrayAt, isObject, objectAt, prop, stringAt, stringMap } from "./path.ts";

// Normalizes any Kubernetes object into a Resource: where its pod spec lives and which containers
// it runs, with exact paths so violations can point at the offending field.

/** Where each pod-bearing kind keeps its pod template; the pod spec is `<template>.spec`. */
export const TEMPLATE_PATHS: Readonly<Record<string, readonly string[] | null>> = {
  // null: the object itself is the pod (metadata + spec at the root).
  Pod: null,
  Deployment: ["spec", "template"],
  ReplicaSet: ["spec", "template"],
  StatefulSet: ["spec", "template"],
  DaemonSet: ["spec", "template"],
  Job: ["spec", "template"],
  ReplicationController: ["spec", "template"],
  CronJob: ["spec", "jobTemplate", "spec", "template"],
  PodTemplate: ["template"],
};

export const POD_BEARING_KINDS: readonly string[] = Object.keys(TEMPLATE_PATHS);

export function isPodBearingKind(kind: string): boolean {
  return Object.prototype.hasOwnProperty.call(TEMPLATE_PATHS, kind);
}

const CONTAINER_LISTS: readonly [string, ContainerKind][] = [
  ["containers", "container"],
  ["initContainers", "initContainer"],
  ["ephemeralContainers", "ephemeralContainer"],
];

export function toResource(object: JsonObject): Resource {
  const metadata = objectAt(object, "metadata");
  const kind = stringAt(object, "kind") ?? "";
  const namespace = stringAt(metadata, "namespace");
  const resource: Resource = {
    apiVersion: stringAt(object, "apiVersion") ?? "",
    kind,
    // generateName stands in for pods that only get their name from the API server.
    name: stringAt(metadata, "name") ?? stringAt(metadata, "generateName") ?? "",
    ...(namespace !== undefined ? { namespace } : {}),
    labels: stringMap(prop(metadata, "labels")),
    annotations: stringMap(prop(metadata, "annotations")),
    object,
    containers: [],
  };
  if (!isPodBearingKind(kind)) return resource;

  const templatePath = TEMPLATE_PATHS[kind] ?? null;
  let template: JsonObject | undefined = object;
  if (templatePath) for (const key of templatePath) template = objectAt(template, key);
  const podSpec = objectAt(template, "spec");
  const podMetadata = objectAt(template, "metadata");
  resource.podMetadata = { labels: stringMap(prop(podMetadata, "labels")), annotations: stringMap(prop(podMetadata, "annotations")) };
  if (!podSpec) return resource;

  const podSpecPath = [...(templatePath ?? []), "spec"].join(".");
  resource.podSpec = podSpec;
  resource.podSpecPath = podSpecPath;
  resource.containers = containersOf(podSpec, podSpecPath);
  return resource;
}

/** Regular, then init, then ephemeral containers; non-object entries are skipped but keep their index. */
export function containersOf(podSpec: JsonObject, podSpecPath: string): ContainerRef[] {
  const out: ContainerRef[] = [];
  for (const [field, kind] of CONTAINER_LISTS) {
    const list = arrayAt(podSpec, field);
    if (!list) continue;
    list.forEach((spec, i) => {
      if (!isObject(spec)) return;
      out.push({
        name: stringAt(spec, "name") ?? "",
        kind,
        spec,
        path: `${podSpecPath ? `${podSpecPath}.` : ""}${field}[${i}]`,
        image: stringAt(spec, "image") ?? "",
      });
    });
  }
  return out;
}
