"""Problems found in content: the one user-facing error type and its collector."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field

ERROR = "error"
WARNING = "warning"
NOTE = "note"  # an acknowledged finding in the published original: reported, never blocking


@dataclass(frozen=True, order=True)
class Problem:
    """One finding, pointing at a place in a content file."""

    file: str
    line: int
    column: int
    severity: str
    code: str
    message: str
    kind: str = ""  # for audit findings: rounding | content | completeness | sanity

    def format(self) -> str:
        """Render as `path:line:column: severity: message`."""
        return f"{self.file}:{self.line}:{self.column}: {self.severity}: {self.message}"


@dataclass
class Problems:
    """Collects problems so that all of them are reported, not just the first."""

    items: list[Problem] = field(default_factory=list)

    def add(self, file: str, line: int, column: int, code: str, message: str,
            severity: str = ERROR) -> None:
        self.items.append(Problem(file, line, column, severity, code, message))

    def extend(self, other: Problems | list[Problem]) -> None:
        self.items.extend(other.items if isinstance(other, Problems) else other)

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.items if p.severity == ERROR]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.items if p.severity == WARNING]

    def sorted(self) -> list[Problem]:
        return sorted(set(self.items))


class ContentError(Exception):
    """Raised when content cannot be used; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        super().__init__("\n".join(p.format() for p in problems))


def problems_to_json(problems: list[Problem]) -> str:
    """Serialise problems as the JSON list that `check --format json` prints."""
    return json.dumps([asdict(p) for p in problems], ensure_ascii=False, indent=2)
