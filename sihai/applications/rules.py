"""The eligibility rule language: a tiny, safe expression language (ADR 0010).

A rule is text such as ``resident.residence_months >= 6 and child.age in 6..15``. It is
tokenised and parsed into an AST by hand (no ``eval``, no Python ``ast``), checked against
a closed whitelist of fields with types, and compiled into a Python closure that reads a
plain ``dict`` of facts. Grammar::

    expr       := or_expr
    or_expr    := and_expr ("or" and_expr)*
    and_expr   := not_expr ("and" not_expr)*
    not_expr   := "not" not_expr | comparison
    comparison := operand (("==" | "!=" | "<" | "<=" | ">" | ">=") operand
                          | "in" (list | range) | "not" "in" (list | range))?
    operand    := FIELD | NUMBER | STRING | "true" | "false" | "(" expr ")"
    list       := "[" literal ("," literal)* "]"
    range      := NUMBER ".." NUMBER          (both ends included)

Any error (unknown field, unknown character, wrong type) names its line and column.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

Facts = dict[str, Any]
Predicate = Callable[[Facts], bool]

# The whitelist: every field a rule may read, its type, and what it means (for the docs and
# the editor). Types: "int", "bool", "str".
FIELDS: dict[str, tuple[str, str]] = {
    "resident.age": ("int", "age in whole years"),
    "resident.residence_months": ("int", "months lived in the city (since the arrival date)"),
    "resident.insurance": ("str", "medical insurance: none, employee, resident, elsewhere"),
    "resident.housing": ("str", "housing: own, renting, dormitory, with_family, none"),
    "resident.employment": ("str", "work: employed, flexible, self_employed, seeking, none"),
    "resident.social_insurance_months": ("int", "months of social-insurance contributions"),
    "resident.has_residence_permit": ("bool", "holds a residence permit of the city"),
    "resident.has_id_number": ("bool", "an ID number is on record"),
    "resident.children": ("int", "children in the household"),
    "child.age": ("int", "the child's age on 31 August of this school year"),
    "child.stage": (
        "str",
        "school stage: not_in_school, kindergarten, primary, junior_secondary, ...",
    ),
}
COMPARISONS = ("==", "!=", "<=", ">=", "<", ">")
KEYWORDS = ("and", "or", "not", "in", "true", "false")


@dataclass(frozen=True)
class RuleError(Exception):
    """A rule that cannot be used; ``line`` and ``column`` count from 1."""

    message: str
    line: int
    column: int

    def __str__(self) -> str:
        return _("Line %(line)d, column %(column)d: %(message)s") % {
            "line": self.line,
            "column": self.column,
            "message": self.message,
        }


@dataclass(frozen=True)
class Token:
    kind: str  # name, number, string, op, keyword, end
    value: str
    line: int
    column: int


_TOKEN = re.compile(
    r"(?P<space>[ \t\r\n]+)"
    r"|(?P<number>\d+)(?!\.\d)"
    r"|(?P<range>\.\.)"
    r"|(?P<name>[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*)"
    r'|(?P<string>"[^"\n]*")'
    r"|(?P<op>==|!=|<=|>=|<|>|\(|\)|\[|\]|,)"
)


def tokenise(text: str) -> list[Token]:
    tokens: list[Token] = []
    pos, line, line_start = 0, 1, 0
    while pos < len(text):
        match = _TOKEN.match(text, pos)
        column = pos - line_start + 1
        if match is None:
            raise RuleError(
                _("“%(char)s” cannot be used in a rule.") % {"char": text[pos]}, line, column
            )
        kind = match.lastgroup or ""
        value = match.group()
        if kind == "space":
            newlines = value.count("\n")
            if newlines:
                line += newlines
                line_start = pos + value.rindex("\n") + 1
        else:
            if kind == "name" and value in KEYWORDS:
                kind = "keyword"
            tokens.append(Token(kind, value, line, column))
        pos = match.end()
    column = pos - line_start + 1
    tokens.append(Token("end", "", line, column))
    return tokens


# --- AST ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Node:
    line: int
    column: int


@dataclass(frozen=True)
class Field(Node):
    name: str


@dataclass(frozen=True)
class Literal(Node):
    value: int | str | bool


@dataclass(frozen=True)
class Compare(Node):
    op: str
    left: Node
    right: Node


@dataclass(frozen=True)
class Member(Node):
    """``operand in [..]`` / ``operand in a..b`` (``negated`` for ``not in``)."""

    operand: Node
    choices: tuple[int | str | bool, ...] = ()
    low: int | None = None
    high: int | None = None
    negated: bool = False


@dataclass(frozen=True)
class Logic(Node):
    op: str  # and, or
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Not(Node):
    operand: Node


class _Parser:
    def __init__(self, tokens: list[Token]) -> None:
        self.tokens = tokens
        self.at = 0

    @property
    def current(self) -> Token:
        return self.tokens[self.at]

    def advance(self) -> Token:
        token = self.tokens[self.at]
        self.at += 1
        return token

    def is_(self, kind: str, value: str | None = None) -> bool:
        token = self.current
        return token.kind == kind and (value is None or token.value == value)

    def fail(self, message: str, token: Token | None = None) -> RuleError:
        token = token or self.current
        return RuleError(message, token.line, token.column)

    def expect(self, kind: str, value: str) -> Token:
        if not self.is_(kind, value):
            raise self.fail(_("Expected “%(what)s” here.") % {"what": value})
        return self.advance()

    def parse(self) -> Node:
        if self.is_("end"):
            raise self.fail(_("The rule is empty."))
        node = self.or_expr()
        if not self.is_("end"):
            raise self.fail(_("Unexpected “%(what)s”.") % {"what": self.current.value})
        return node

    def or_expr(self) -> Node:
        first = self.current
        parts = [self.and_expr()]
        while self.is_("keyword", "or"):
            self.advance()
            parts.append(self.and_expr())
        return parts[0] if len(parts) == 1 else Logic(first.line, first.column, "or", tuple(parts))

    def and_expr(self) -> Node:
        first = self.current
        parts = [self.not_expr()]
        while self.is_("keyword", "and"):
            self.advance()
            parts.append(self.not_expr())
        if len(parts) == 1:
            return parts[0]
        return Logic(first.line, first.column, "and", tuple(parts))

    def not_expr(self) -> Node:
        if self.is_("keyword", "not"):
            token = self.advance()
            return Not(token.line, token.column, self.not_expr())
        return self.comparison()

    def comparison(self) -> Node:
        left = self.operand()
        if self.is_("op") and self.current.value in COMPARISONS:
            op = self.advance()
            right = self.operand()
            return Compare(op.line, op.column, op.value, left, right)
        negated = False
        if self.is_("keyword", "not") and self.tokens[self.at + 1].value == "in":
            self.advance()
            negated = True
        if self.is_("keyword", "in"):
            token = self.advance()
            return self.membership(token, left, negated)
        if negated:
            raise self.fail(_("Expected “in” here."))
        return left

    def membership(self, token: Token, left: Node, negated: bool) -> Node:
        if self.is_("op", "["):
            self.advance()
            choices = [self.literal()]
            while self.is_("op", ","):
                self.advance()
                choices.append(self.literal())
            self.expect("op", "]")
            return Member(token.line, token.column, left, tuple(choices), negated=negated)
        if self.is_("number"):
            low = int(self.advance().value)
            self.expect("range", "..")
            if not self.is_("number"):
                raise self.fail(_("Expected a whole number here."))
            high = int(self.advance().value)
            return Member(token.line, token.column, left, low=low, high=high, negated=negated)
        raise self.fail(_("After “in”, give a list [..] or a range such as 6..15."))

    def literal(self) -> int | str | bool:
        token = self.current
        if token.kind == "number":
            self.advance()
            return int(token.value)
        if token.kind == "string":
            self.advance()
            return token.value[1:-1]
        if token.kind == "keyword" and token.value in ("true", "false"):
            self.advance()
            return token.value == "true"
        raise self.fail(_('Expected a number, a "text" or true/false here.'))

    def operand(self) -> Node:
        token = self.current
        if token.kind == "name":
            self.advance()
            if token.value not in FIELDS:
                raise self.fail(
                    _("Unknown field “%(name)s”: use one of the listed fields.")
                    % {"name": token.value},
                    token,
                )
            return Field(token.line, token.column, token.value)
        if self.is_("op", "("):
            self.advance()
            node = self.or_expr()
            self.expect("op", ")")
            return node
        if token.kind in ("number", "string") or token.value in ("true", "false"):
            return Literal(token.line, token.column, self.literal())
        if token.kind == "end":
            raise self.fail(_("The rule ends too early."))
        raise self.fail(_("Unexpected “%(what)s”.") % {"what": token.value})


# --- types and compilation ------------------------------------------------------------------


def _type_of(node: Node) -> str:
    if isinstance(node, Field):
        return FIELDS[node.name][0]
    if isinstance(node, Literal):
        value = node.value
        return "bool" if isinstance(value, bool) else "int" if isinstance(value, int) else "str"
    return "bool"


def _check(node: Node) -> None:
    if isinstance(node, Compare):
        _check(node.left)
        _check(node.right)
        left, right = _type_of(node.left), _type_of(node.right)
        if left != right:
            raise RuleError(
                _("Cannot compare %(left)s with %(right)s.") % {"left": left, "right": right},
                node.line,
                node.column,
            )
        if node.op not in ("==", "!=") and left != "int":
            raise RuleError(_("Only numbers can be ordered with < or >."), node.line, node.column)
    elif isinstance(node, Member):
        _check(node.operand)
        kind = _type_of(node.operand)
        if node.low is not None:
            if kind != "int":
                raise RuleError(_("A range needs a number field."), node.line, node.column)
        elif any(_type_of(Literal(0, 0, c)) != kind for c in node.choices):
            raise RuleError(
                _("Every choice in the list must be a %(kind)s.") % {"kind": kind},
                node.line,
                node.column,
            )
    elif isinstance(node, Logic):
        for part in node.parts:
            _check_bool(part)
    elif isinstance(node, Not):
        _check_bool(node.operand)


def _check_bool(node: Node) -> None:
    _check(node)
    if _type_of(node) != "bool":
        raise RuleError(_("This part is not a yes/no condition."), node.line, node.column)


_OPS: dict[str, Callable[[Any, Any], bool]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a is not None and b is not None and a < b,
    "<=": lambda a, b: a is not None and b is not None and a <= b,
    ">": lambda a, b: a is not None and b is not None and a > b,
    ">=": lambda a, b: a is not None and b is not None and a >= b,
}


def _compile_value(node: Node) -> Callable[[Facts], Any]:
    if isinstance(node, Field):
        name = node.name
        return lambda facts: facts.get(name)
    if isinstance(node, Literal):
        value = node.value
        return lambda _facts: value
    return _compile(node)


def _compile(node: Node) -> Predicate:  # noqa: PLR0911  (one case per node type)
    if isinstance(node, Compare):
        left, right, op = _compile_value(node.left), _compile_value(node.right), _OPS[node.op]
        return lambda facts: op(left(facts), right(facts))
    if isinstance(node, Member):
        operand, negated = _compile_value(node.operand), node.negated
        if node.low is not None and node.high is not None:
            low, high = node.low, node.high

            def in_range(facts: Facts) -> bool:
                value = operand(facts)
                return (value is not None and low <= value <= high) != negated

            return in_range
        choices = frozenset(node.choices)
        return lambda facts: (operand(facts) in choices) != negated
    if isinstance(node, Logic):
        parts = tuple(_compile(p) for p in node.parts)
        if node.op == "and":
            return lambda facts: all(p(facts) for p in parts)
        return lambda facts: any(p(facts) for p in parts)
    if isinstance(node, Not):
        inner = _compile(node.operand)
        return lambda facts: not inner(facts)
    if isinstance(node, Field):
        name = node.name
        return lambda facts: bool(facts.get(name))
    if isinstance(node, Literal):
        value = bool(node.value)
        return lambda _facts: value
    msg = f"unknown node {node!r}"
    raise TypeError(msg)


def parse(text: str) -> Node:
    """The checked AST of one rule, or :class:`RuleError` with the position."""
    node = _Parser(tokenise(text)).parse()
    _check_bool(node)
    return node


def compile_rule(text: str) -> Predicate:
    """A predicate over a facts dict; raises :class:`RuleError` for a bad rule."""
    return _compile(parse(text))


def fields_of(node: Node) -> set[str]:
    """The fields a rule reads (to know whether it is about the child)."""
    if isinstance(node, Field):
        return {node.name}
    if isinstance(node, Compare):
        return fields_of(node.left) | fields_of(node.right)
    if isinstance(node, Member):
        return fields_of(node.operand)
    if isinstance(node, Logic):
        return set().union(*(fields_of(p) for p in node.parts))
    if isinstance(node, Not):
        return fields_of(node.operand)
    return set()


# --- a type's conditions -----------------------------------------------------------------


@dataclass(frozen=True)
class Condition:
    """One condition of a type: the rule, and what to tell a resident who does not meet it."""

    rule: str
    why_not_zh: str
    why_not_en: str


def parse_conditions(text: str) -> list[Condition]:
    """The editor's text: one condition a line, ``rule | 中文理由 | English reason``.

    Blank lines and lines starting with ``#`` are skipped. The position of an error counts
    lines in the whole text.
    """
    conditions: list[Condition] = []
    for number, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip() or raw.lstrip().startswith("#"):
            continue
        pieces = raw.split("|")
        if len(pieces) != 3 or not pieces[1].strip() or not pieces[2].strip():
            raise RuleError(
                _("Write each line as: rule | reason in Chinese | reason in English."), number, 1
            )
        rule = pieces[0]
        try:
            parse(rule)
        except RuleError as exc:
            raise RuleError(exc.message, number, exc.column) from exc
        conditions.append(Condition(rule.strip(), pieces[1].strip(), pieces[2].strip()))
    if not conditions:
        raise RuleError(_("Give at least one condition."), 1, 1)
    return conditions


def conditions_text(conditions: list[dict[str, str]]) -> str:
    """The editor's text for conditions stored as dicts."""
    return "\n".join(f"{c['rule']} | {c['why_not_zh']} | {c['why_not_en']}" for c in conditions)
