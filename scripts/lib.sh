# Shared helpers for the project's shell scripts.
log() { printf '\033[36m[bulwark]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[bulwark] error:\033[0m %s\n' "$*" >&2; exit 1; }
