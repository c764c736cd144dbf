// Manifest input: parse YAML/JSON into objects, normalize them into Resources, read fields safely.
export { parseManifests, MAX_ALIAS_COUNT, MAX_DEPTH, type ParsedDocument, type ParseError } from "./parse.ts";
export { toResource, containersOf, isPodBearingKind, POD_BEARING_KINDS, TEMPLATE_PATHS } from "./resource.ts";
export { DEFAULT_REGISTRY, imageName, type ImageRef, type ImageRefResult, MAX_IMAGE_NAME_LENGTH, parseImageRef, parseImageReference, REGISTRY_HOST_RE, REPOSITORY_PATH_RE } from "./image-ref.ts";
export { getPath, parsePath, isObject, prop, objectAt, arrayAt, stringAt, stringMap, type PathSegment } from "./path.ts";
