"""Rules that read the Dockerfile: the document's "Container Security" measures and the
CIS Docker Benchmark / dockle checks that apply to an image's build file."""

from __future__ import annotations

import json
import re

from ..context import ScanContext
from ..dockerfiles import Instruction, image_ref, key_values
from ..models import Severity
from apps.core.sensitive import has_credentials, is_secret_name, redacted
from . import RuleOutcome, failed, failed_items, not_applicable, passed, rule, unknown

SEED = "seed: Container Security"
MINIMAL_BASE = re.compile(r"alpine|slim|distroless|scratch|minimal|micro|chainguard|wolfi|busybox", re.I)
FULL_VERSION = re.compile(r"\d+\.\d+\.\d+")
ARCHIVE = re.compile(r"\.(tar|tar\.gz|tgz|tar\.bz2|tbz2?|tar\.xz|txz|tar\.zst)$", re.I)
_VARIABLE_REF = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


def _final(ctx: ScanContext):
    df = ctx.dockerfile
    return df, df.final_stage


def _no_from() -> RuleOutcome:
    return failed("There is no FROM instruction, so this is not a Dockerfile a builder accepts.")


@rule("CS-001", title="Runs as a non-root user", source=f"{SEED}; CIS Docker 4.1; dockle CIS-DI-0001",
      severity=Severity.CRITICAL, needs_dockerfile=True,
      passes="The last USER of the final stage (or of a stage it is built FROM) names a user other than root.",
      fix="Create an unprivileged user and end the final stage with it, e.g. "
          "`RUN adduser -S -D -H -u 10001 app` then `USER 10001:10001`.")
def non_root_user(ctx: ScanContext) -> RuleOutcome:
    df, final = _final(ctx)
    if final is None:
        return _no_from()
    users = [i for i in df.effective(final) if i.keyword == "USER"]
    if not users:
        base = image_ref(df.base_image(final).image)
        if "nonroot" in base.tag:
            return passed(f"No USER, but the base image {base.written} runs as its nonroot user.", final.line)
        elsewhere = [i for i in df.instructions if i.keyword == "USER"]
        if elsewhere:
            return failed(f"USER at line {elsewhere[-1].line} is in a build stage; the final stage "
                          f"(FROM at line {final.line}) runs as root.", final.line)
        return failed(f"No USER instruction: the container runs as root (final stage: FROM at line {final.line}).",
                      final.line)
    last = users[-1]
    who = last.value.split()[0] if last.value.split() else ""
    name = who.split(":")[0]
    if "$" in name:
        return failed(f"USER {last.value} is a variable, which may be root; use a literal non-root UID.", last.line)
    if name in {"root", "0", ""}:
        return failed(f"USER {last.value} is root.", last.line)
    return passed(f"USER {last.value}", last.line)


@rule("CS-002", title="Minimal base image", source=SEED, severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="The final image is built on an alpine, slim, distroless, scratch (or similar minimal) base.",
      fix="Build the final stage FROM a minimal variant, e.g. node:24.11.1-alpine3.22 or "
          "python:3.11.10-slim-bookworm; keep compilers in an earlier build stage.")
def minimal_base(ctx: ScanContext) -> RuleOutcome:
    df, final = _final(ctx)
    if final is None:
        return _no_from()
    base = df.base_image(final)
    if base.unresolved:
        return failed(f"FROM {base.image or '(empty)'} uses ${base.unresolved[0]}, which no ARG default sets; "
                      "the base cannot be checked.", base.line)
    match = MINIMAL_BASE.search(base.image)
    if match:
        return passed(f"FROM {base.image} ({match.group(0).lower()})", base.line)
    return failed(f"FROM {base.image} is a full distribution image.", base.line)


@rule("CS-006", title="Base images pinned to a version", source="CIS Docker 4.2; dockle DKL-DI-0006; hadolint DL3006/DL3007",
      severity=Severity.HIGH, needs_dockerfile=True,
      passes="Every FROM names an image by digest (@sha256:…) or by a full major.minor.patch tag; never latest or no tag.",
      fix="Pin each base to a full version (node:24.11.1-alpine3.22, not node:24-alpine) or to a digest.")
def pinned_base(ctx: ScanContext) -> RuleOutcome:
    df = ctx.dockerfile
    if not df.stages:
        return _no_from()
    problems, pinned = [], []
    for stage in df.stages:
        if stage.parent is not None:
            continue
        ref = image_ref(stage.image)
        if ref.is_scratch:
            continue
        if stage.unresolved:
            problems.append((stage.line, f"FROM {stage.image or '(empty)'} uses ${stage.unresolved[0]}, which no ARG "
                                         "default sets."))
        elif ref.digest:
            pinned.append(f"line {stage.line}: {ref.written} (digest)")
        elif not ref.tag:
            problems.append((stage.line, f"FROM {ref.written} has no tag, which means latest."))
        elif ref.tag.lower() == "latest":
            problems.append((stage.line, f"FROM {ref.written} uses latest."))
        elif not FULL_VERSION.search(ref.tag):
            problems.append((stage.line, f"FROM {ref.written}: '{ref.tag}' is a floating tag that moves with "
                                         "every release."))
        else:
            pinned.append(f"line {stage.line}: {ref.written} (full version)")
    if problems:
        return failed_items(problems)
    return passed("\n".join(pinned) or "Every stage is FROM scratch or an earlier stage.",
                  df.stages[0].line)


@rule("CS-008", title="HEALTHCHECK in the final stage", source="CIS Docker 4.6; dockle CIS-DI-0006",
      severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="The final stage (or a stage it is built FROM) has a HEALTHCHECK that is not NONE.",
      fix="Add `HEALTHCHECK CMD [...]` that asks the service's liveness path, e.g. "
          "`HEALTHCHECK CMD [\"python\", \"-c\", \"import urllib.request as u; u.urlopen('http://127.0.0.1:8080/healthz')\"]`.")
def healthcheck(ctx: ScanContext) -> RuleOutcome:
    df, final = _final(ctx)
    if final is None:
        return _no_from()
    checks = [i for i in df.effective(final) if i.keyword == "HEALTHCHECK"]
    if not checks:
        return failed(f"No HEALTHCHECK in the final stage (FROM at line {final.line}).", final.line)
    last = checks[-1]
    if last.value.strip().upper() == "NONE":
        return failed("HEALTHCHECK NONE switches the health check off.", last.line)
    return passed(str(last), last.line)


def _add_sources(instruction: Instruction) -> list[str]:
    words = [w for w in instruction.value.split() if not w.startswith("--")]
    if instruction.value.lstrip().startswith("["):
        try:
            words = [w for w in json.loads(instruction.value) if isinstance(w, str)]
        except ValueError:
            pass
    return words[:-1]


@rule("CS-009", title="COPY instead of ADD", source="CIS Docker 4.9; dockle CIS-DI-0009; hadolint DL3020",
      severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="No ADD, or only ADD of a local tar archive (which COPY cannot unpack).",
      fix="Use COPY for files; fetch URLs in a RUN with a checksum check, in a build stage.")
def copy_not_add(ctx: ScanContext) -> RuleOutcome:
    problems, archives = [], []
    for instruction in ctx.dockerfile.instructions:
        if instruction.keyword != "ADD":
            continue
        for source in _add_sources(instruction) or [""]:
            if "://" in source or source.startswith("git@"):
                problems.append((instruction.line, f"ADD fetches {source.split('://')[0]}://… from the network."))
            elif not ARCHIVE.search(source):
                problems.append((instruction.line, f"ADD {source or instruction.value}: use COPY."))
            else:
                archives.append(f"line {instruction.line}: ADD unpacks the local archive {source}")
    if problems:
        return failed_items(problems)
    return passed("\n".join(archives) or "No ADD instructions.")


@rule("CS-010", title="No secrets in ENV or ARG", source="CIS Docker 4.10; dockle CIS-DI-0010; hadolint DL3064",
      severity=Severity.CRITICAL,
      passes="No ENV or ARG in the Dockerfile, and no value in the container spec's env, holds a secret "
             "(a name with KEY, SECRET, TOKEN, PASSWORD…, a ${build-arg} of one, or a URL with a password).",
      fix="Remove the value from the image and the spec; list it in the spec's secret_refs so that the key manager "
          "injects it at run time (build-time secrets: RUN --mount=type=secret).")
def no_secrets(ctx: ScanContext) -> RuleOutcome:
    problems: list[tuple[int | None, str]] = []
    if ctx.dockerfile is not None:
        problems += _dockerfile_secrets(ctx.dockerfile.instructions)
    env = ctx.spec.env if ctx.spec is not None and isinstance(ctx.spec.env, dict) else {}
    for name, value in env.items():
        value = "" if value is None else str(value)
        if is_secret_name(str(name)) and value:
            problems.append((None, f"container spec env {name} holds a value ({redacted(value)}); "
                                   "move it to secret_refs."))
        elif has_credentials(value):
            problems.append((None, f"container spec env {name} is a URL with a password in it."))
    if problems:
        return failed_items(problems)
    if ctx.dockerfile is None:
        return unknown(f"{ctx.dockerfile_missing} (The container spec's env holds no secrets.)")
    checked = sum(1 for i in ctx.dockerfile.instructions if i.keyword in {"ENV", "ARG"})
    return passed(f"{checked} ENV/ARG instruction(s) and {len(env)} spec env value(s) checked; no secrets.")


def _dockerfile_secrets(instructions: list[Instruction]) -> list[tuple[int, str]]:
    problems = []
    for instruction in instructions:
        if instruction.keyword not in {"ENV", "ARG"}:
            continue
        try:
            pairs = key_values(instruction)
        except ValueError as exc:
            problems.append((instruction.line, f"{instruction.keyword} cannot be read ({exc}), so it cannot be "
                                               "checked for secrets."))
            continue
        for name, value in pairs:
            referenced = [v for v in _VARIABLE_REF.findall(value) if is_secret_name(v)]
            if instruction.keyword == "ARG" and is_secret_name(name):
                problems.append((instruction.line, f"ARG {name}: build arguments stay readable in the image "
                                                   "history."))
            elif is_secret_name(name) and value:
                how = "a build argument baked into the image" if referenced or "$" in value else "a literal value"
                problems.append((instruction.line, f"ENV {name}={redacted(value)} is {how}; anyone who pulls the "
                                                   "image can read it."))
            elif referenced:
                problems.append((instruction.line, f"{instruction.keyword} {name} copies ${referenced[0]} into "
                                                   "the image."))
            elif has_credentials(value):
                problems.append((instruction.line, f"{instruction.keyword} {name} is a URL with a password in it."))
    return problems


def _exposed(instruction: Instruction) -> tuple[set[int], list[str]]:
    ports, odd = set(), []
    for word in instruction.value.split():
        number = word.split("/")[0]
        low, _, high = number.partition("-")
        if low.isdigit() and (not high or high.isdigit()):
            top = int(high or low)
            if top - int(low) > 1000:
                odd.append(word)
            else:
                ports.update(range(int(low), top + 1))
        else:
            odd.append(word)
    return ports, odd


def spec_ports(ctx: ScanContext) -> tuple[set[int], list[str]]:
    ports, odd = set(), []
    for port in ctx.spec.ports if isinstance(ctx.spec.ports, list) else [ctx.spec.ports]:
        if isinstance(port, int) and not isinstance(port, bool) and 0 < port < 65536:
            ports.add(port)
        elif isinstance(port, str) and port.isdigit() and 0 < int(port) < 65536:
            ports.add(int(port))
        else:
            odd.append(repr(port))
    return ports, odd


@rule("CS-011", title="Declared ports match the spec", source="CIS Docker 5.8 (only needed ports open)",
      severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="The final stage EXPOSEs exactly the ports in the container spec.",
      fix="Make EXPOSE list the ports the service listens on, and the container spec the same ones.")
def declared_ports(ctx: ScanContext) -> RuleOutcome:
    if ctx.spec is None:
        return unknown(ctx.dockerfile_missing)
    df, final = _final(ctx)
    if final is None:
        return _no_from()
    exposes = [i for i in df.effective(final) if i.keyword == "EXPOSE"]
    exposed, odd = set(), []
    for instruction in exposes:
        found, strange = _exposed(instruction)
        exposed |= found
        odd += [f"line {instruction.line}: {w}" for w in strange]
    wanted, bad = spec_ports(ctx)
    line = exposes[0].line if exposes else final.line
    if odd or bad:
        return failed("Ports that are not port numbers: " + ", ".join(odd + [f"container spec {b}" for b in bad]), line)
    if not exposed and not wanted:
        return not_applicable("Neither the Dockerfile nor the spec declares a port (a worker without a listener).")
    if exposed == wanted:
        return passed(f"EXPOSE {' '.join(map(str, sorted(exposed)))} matches the spec.", line)
    return failed(f"The Dockerfile exposes {sorted(exposed) or 'nothing'}; the container spec declares "
                  f"{sorted(wanted) or 'nothing'}.", line)


_PACKAGE_CHECKS = [
    # (what installs, what it leaves behind, what cleans it up)
    (re.compile(r"\bapt(-get)?\s+(-\S+\s+)*install\b"), "apt lists", re.compile(r"rm\s+-[rf]+\s+/var/lib/apt/lists")),
    (re.compile(r"\bapk\s+(-\S+\s+)*add\b"), "the apk cache", re.compile(r"--no-cache\b|rm\s+-[rf]+\s+/var/cache/apk")),
    (re.compile(r"\bpip3?\s+(-\S+\s+)*install\b"), "the pip cache", re.compile(r"--no-cache-dir\b")),
    (re.compile(r"\b(yum|dnf|microdnf)\s+(-\S+\s+)*install\b"), "the yum/dnf cache", re.compile(r"\bclean\s+all\b")),
]
_UPDATE_ALONE = [
    (re.compile(r"\bapt(-get)?\s+update\b"), re.compile(r"\bapt(-get)?\s+(-\S+\s+)*(install|upgrade)\b")),
    (re.compile(r"\bapk\s+update\b"), re.compile(r"\bapk\s+(-\S+\s+)*(add|upgrade)\b")),
]


@rule("CS-013", title="Package caches cleaned in the same layer",
      source="dockle DKL-DI-0005; CIS Docker 4.7; hadolint DL3009/DL3019/DL3042",
      severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="Every RUN in the final image's stages that installs packages removes the cache in the same RUN "
             "(apt lists, apk --no-cache, pip --no-cache-dir, yum/dnf clean all), and no `update` runs alone.",
      fix="Install and clean in one RUN: `apt-get update && apt-get install -y --no-install-recommends X "
          "&& rm -rf /var/lib/apt/lists/*`, `apk add --no-cache X`, `pip install --no-cache-dir X`.")
def package_caches(ctx: ScanContext) -> RuleOutcome:
    df, final = _final(ctx)
    if final is None:
        return _no_from()
    instructions = df.effective(final)
    pip_env = any(i.keyword == "ENV" and "PIP_NO_CACHE_DIR" in i.value for i in instructions)
    problems, installs = [], 0
    for instruction in instructions:
        if instruction.keyword != "RUN" or "--mount=type=cache" in instruction.value:
            continue
        command = instruction.value
        for installs_re, leftover, cleanup in _PACKAGE_CHECKS:
            if installs_re.search(command):
                installs += 1
                if not cleanup.search(command) and not (leftover == "the pip cache" and pip_env):
                    problems.append((instruction.line, f"{' '.join(command.split())[:100]} leaves {leftover} "
                                                       "in the image."))
        for update_re, partner in _UPDATE_ALONE:
            if update_re.search(command) and not partner.search(command):
                problems.append((instruction.line, "a package index update in a RUN of its own goes stale in the "
                                                   "layer cache (CIS 4.7)."))
    if problems:
        return failed_items(problems)
    if not installs:
        return passed("No package installs in the final image's stages.")
    return passed(f"{installs} package install(s), each cleaning up after itself.")


@rule("CS-014", title="hadolint reports no errors or warnings", source="hadolint 2.x (Dockerfile best practice)",
      severity=Severity.MEDIUM, needs_dockerfile=True,
      passes="hadolint, run with its default rules and no configuration file, reports no error or warning "
             "(info and style notes are listed but do not fail).",
      fix="Fix each finding at its line; https://github.com/hadolint/hadolint#rules explains every code.")
def hadolint_clean(ctx: ScanContext) -> RuleOutcome:
    if ctx.hadolint_error:
        return unknown(f"{ctx.hadolint_error} The Dockerfile could not be linted; shorten it or lint it by hand.")
    serious = [f for f in ctx.hadolint if f.level in {"error", "warning"}]
    notes = [f for f in ctx.hadolint if f not in serious]
    if serious:
        return failed_items([(f.line, f"{f.code} ({f.level}) {f.message}") for f in serious])
    if notes:
        listed = "\n".join(str(f) for f in notes[:10])
        return passed(f"No errors or warnings; {len(notes)} note(s):\n{listed}")
    return passed("hadolint reports nothing.")
