"""A Dockerfile read once per scan: instructions with their line numbers, split into stages.

dockerfile-parse does the reading (continuation lines, comments, the escape directive);
this module adds what the rules need on top: stages and what each inherits, image
references, and key/value pairs. Nothing here rejects a Dockerfile: odd input becomes
findings, never exceptions.
"""

from __future__ import annotations

import hashlib
import io
import json
import re
from dataclasses import dataclass, field

from dockerfile_parse import DockerfileParser
from dockerfile_parse.parser import image_from
from dockerfile_parse.util import WordSplitter, extract_key_values

_VARIABLE = re.compile(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Instruction:
    keyword: str
    value: str
    line: int  # 1-based, the instruction's first line
    stage: int  # -1 for the ARGs before the first FROM

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 120 else self.value[:117] + "..."
        return f"{self.keyword} {shown}"


@dataclass(frozen=True)
class ImageRef:
    written: str
    repository: str
    tag: str
    digest: str

    @property
    def is_scratch(self) -> bool:
        return self.repository == "scratch"


@dataclass(frozen=True)
class Stage:
    index: int
    line: int
    image: str  # as written, build arguments substituted
    name: str | None
    parent: int | None  # the earlier stage this one is built FROM, if any
    unresolved: tuple[str, ...]  # variables in FROM that no ARG default resolves
    instructions: list[Instruction] = field(default_factory=list)


@dataclass(frozen=True)
class ParsedDockerfile:
    text: str
    sha256: str
    instructions: list[Instruction]
    stages: list[Stage]
    global_args: dict[str, str]

    @property
    def final_stage(self) -> Stage | None:
        return self.stages[-1] if self.stages else None

    def lineage(self, stage: Stage) -> list[Stage]:
        """The stage and the earlier stages it is built FROM, oldest first."""
        chain = [stage]
        while chain[0].parent is not None:
            chain.insert(0, self.stages[chain[0].parent])
        return chain

    def effective(self, stage: Stage) -> list[Instruction]:
        """What a stage runs with: its own instructions after those of the stages it extends
        (USER, HEALTHCHECK, ENV and EXPOSE are inherited from a FROM <stage>)."""
        return [instruction for ancestor in self.lineage(stage) for instruction in ancestor.instructions]

    def base_image(self, stage: Stage) -> Stage:
        """The stage whose FROM names an external image, following FROM <stage>."""
        return self.lineage(stage)[0]


def dockerfile_sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest() if text else ""


def dockerfile_read(text: str) -> ParsedDockerfile:
    raw = text.encode("utf-8", "surrogatepass")
    parser = DockerfileParser(fileobj=io.BytesIO(raw), env_replace=False)
    instructions: list[Instruction] = []
    stages: list[Stage] = []
    global_args: dict[str, str] = {}
    names: dict[str, int] = {}
    for item in parser.structure:
        keyword = item["instruction"]
        if keyword == "COMMENT":
            continue
        value = item["value"] or ""
        line = item["startline"] + 1
        if keyword == "FROM":
            stage = _stage(value, line, len(stages), global_args, names)
            if stage.name:
                names[stage.name.lower()] = stage.index
            stages.append(stage)
        instruction = Instruction(keyword=keyword, value=value, line=line, stage=len(stages) - 1)
        instructions.append(instruction)
        if stages:
            stages[-1].instructions.append(instruction)
        elif keyword == "ARG":
            try:
                global_args.update(dict(key_values(instruction)))
            except ValueError:
                pass  # CS-010 reports the unreadable line; FROM then sees the variable as unset
    return ParsedDockerfile(
        text=text, sha256=dockerfile_sha256(text), instructions=instructions, stages=stages, global_args=global_args
    )


def _stage(value: str, line: int, index: int, global_args: dict[str, str], names: dict[str, int]) -> Stage:
    written, name = image_from(value)
    written = written or ""
    unresolved = tuple(sorted({v for v in _VARIABLE.findall(written) if not global_args.get(v)}))
    image = WordSplitter(written, args=global_args, envs={}).dequote() if "$" in written else written
    parent = names.get(image.lower())
    return Stage(index=index, line=line, image=image, name=name, parent=parent, unresolved=unresolved)


def image_ref(written: str) -> ImageRef:
    """``gcr.io/x/y:1.2@sha256:…`` → repository, tag, digest (Docker's reference grammar, loosely)."""
    rest, _, digest = written.partition("@")
    last = rest.rsplit("/", 1)[-1]
    tag = ""
    if ":" in last:
        rest, _, tag = rest.rpartition(":")
    return ImageRef(written=written, repository=rest.lower(), tag=tag, digest=digest)


def key_values(instruction: Instruction) -> list[tuple[str, str]]:
    """ENV, ARG and LABEL pairs, quotes removed, nothing substituted (``ARG NAME`` without a
    default gives ``("NAME", "")``). A malformed line raises ValueError with the reason."""
    value = instruction.value.strip()
    if not value:
        raise ValueError(f"{instruction.keyword} has nothing after it")
    if instruction.keyword == "ARG":
        pairs = []
        for word in WordSplitter(value).split(dequote=False):
            key, _, default = word.partition("=")
            pairs.append((key, WordSplitter(default).dequote()))
        return pairs
    return extract_key_values(env_replace=False, args={}, envs={}, instruction_value=value)


def exec_form(value: str) -> list[str] | None:
    """The JSON array of an exec-form CMD/ENTRYPOINT/HEALTHCHECK CMD, or None for shell form."""
    try:
        parsed = json.loads(value)
    except ValueError:
        return None
    return parsed if isinstance(parsed, list) and all(isinstance(x, str) for x in parsed) else None
