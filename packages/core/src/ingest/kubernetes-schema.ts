import { z } from "zod";

// Zod schemas for the Kubernetes objects the inventory understands. Lenient on the many fields we do not
// read (looseObject keeps them), strict on the ones we do, so a bad object fails with its field path.

const name = z.string().min(1).max(253);
const stringMap = z.record(z.string(), z.string());
const int = z.number().int();
const ownerRef = z.looseObject({ kind: z.string().min(1), name, uid: z.string().optional(), controller: z.boolean().nullish() });
const metadata = z.looseObject({
  name,
  namespace: z.string().min(1).max(63).optional(),
  uid: z.string().max(128).optional(),
  labels: stringMap.nullish(),
  annotations: stringMap.nullish(),
  ownerReferences: z.array(ownerRef).max(100).nullish(),
  creationTimestamp: z.string().max(64).nullish(),
  deletionTimestamp: z.string().nullish(),
});
const nsMetadata = metadata.extend({ namespace: z.string().min(1).max(63) });
const containerPort = z.looseObject({
  containerPort: int.min(1).max(65535),
  name: z.string().optional(),
  protocol: z.string().optional(),
  hostPort: int.optional(),
});
export const containerSchema = z.looseObject({
  name,
  image: z.string().min(1).max(4096),
  securityContext: z.looseObject({}).nullish(),
  ports: z.array(containerPort).max(1000).nullish(),
});
const containers = z.array(containerSchema).max(1000);
export const podSpecSchema = z.looseObject({ containers: containers.min(1), initContainers: containers.nullish(), ephemeralContainers: containers.nullish() });
const template = z.looseObject({ metadata: z.looseObject({ labels: stringMap.nullish() }).nullish(), spec: podSpecSchema });
const containerStatuses = z.array(z.looseObject({ name, imageID: z.string().max(4096).nullish() })).max(1000).nullish();
const podStatus = z.looseObject({ containerStatuses, initContainerStatuses: containerStatuses, ephemeralContainerStatuses: containerStatuses });
const replicated = z.looseObject({ metadata: nsMetadata, spec: z.looseObject({ replicas: int.min(0).nullish(), template }) });

export const KIND_SCHEMAS = {
  Namespace: z.looseObject({ metadata }),
  Pod: z.looseObject({ metadata: nsMetadata, spec: podSpecSchema, status: podStatus.nullish() }),
  Deployment: replicated,
  ReplicaSet: replicated,
  StatefulSet: replicated,
  ReplicationController: replicated,
  DaemonSet: z.looseObject({
    metadata: nsMetadata,
    spec: z.looseObject({ template }),
    status: z.looseObject({ desiredNumberScheduled: int.min(0).optional() }).nullish(),
  }),
  Job: z.looseObject({ metadata: nsMetadata, spec: z.looseObject({ parallelism: int.min(0).nullish(), template }) }),
  CronJob: z.looseObject({ metadata: nsMetadata, spec: z.looseObject({ jobTemplate: z.looseObject({ spec: z.looseObject({ template }) }) }) }),
  Service: z.looseObject({
    metadata: nsMetadata,
    spec: z.looseObject({
      type: z.string().min(1).optional(),
      clusterIP: z.string().nullish(),
      externalIPs: z.array(z.string().max(64)).max(100).nullish(),
      selector: stringMap.nullish(),
      ports: z
        .array(
          z.looseObject({
            port: int.min(1).max(65535),
            name: z.string().optional(),
            protocol: z.string().optional(),
            targetPort: z.union([int, z.string()]).optional(),
            nodePort: int.optional(),
          }),
        )
        .max(1000)
        .nullish(),
    }),
  }),
  Node: z.looseObject({
    metadata,
    spec: z.looseObject({ providerID: z.string().optional() }).nullish(),
    status: z
      .looseObject({
        nodeInfo: z
          .looseObject({
            kubeletVersion: z.string().optional(),
            osImage: z.string().optional(),
            containerRuntimeVersion: z.string().optional(),
            kernelVersion: z.string().optional(),
            architecture: z.string().optional(),
          })
          .nullish(),
      })
      .nullish(),
  }),
} as const;

export type KnownKind = keyof typeof KIND_SCHEMAS;
export type Parsed<K extends KnownKind> = z.infer<(typeof KIND_SCHEMAS)[K]>;
export type AnyParsed = { [K in KnownKind]: { kind: K; obj: Parsed<K> } }[KnownKind];

// The API group each kind must come from; a Knative "Service" or an Argo "Rollout" is someone else's kind.
export const KIND_GROUPS: Record<KnownKind, readonly string[]> = {
  Namespace: [""],
  Pod: [""],
  Service: [""],
  Node: [""],
  ReplicationController: [""],
  Deployment: ["apps", "extensions"],
  ReplicaSet: ["apps", "extensions"],
  StatefulSet: ["apps"],
  DaemonSet: ["apps", "extensions"],
  Job: ["batch"],
  CronJob: ["batch"],
};
