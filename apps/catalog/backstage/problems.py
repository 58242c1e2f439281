"""What went wrong in an import, said so that the person holding the file can fix it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One error: which file, which document (1-based), which entity, which field, and what to do."""

    message: str
    file: str | None = None
    document: int | None = None
    entity: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.file or "input"
        if self.document is not None:
            where += f", document {self.document}"
        if self.entity:
            where += f" ({self.entity})"
        if self.field:
            where += f", {self.field}"
        return f"{where}: {self.message}"


@dataclass
class Problems:
    """Collects every problem of one file, so that the report lists them all at once."""

    file: str | None
    items: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    def add(self, message: str, *, document: int | None = None, entity: str | None = None, field: str | None = None):
        self.items.append(Problem(message=message, file=self.file, document=document, entity=entity, field=field))

    def warn(self, message: str, *, document: int | None = None, entity: str | None = None, field: str | None = None):
        self.warnings.append(Problem(message=message, file=self.file, document=document, entity=entity, field=field))

    def __bool__(self) -> bool:
        return bool(self.items)

    def __len__(self) -> int:
        return len(self.items)
