"""Grading: pure functions of the question's key and the learner's answer.

Typed answers are compared after normalising (Unicode NFKC, case, whitespace) and after the
fairness rules below, applied to both sides, so a right answer is not refused for its spelling:

- names: a trailing `()` is optional, any receiver of a method or attribute is accepted
  (`net.eval()` = `model.eval()` = `eval()`), and the `torch.`/`nn.`/`F.` qualifications are
  optional (`torch.nn.functional.log_softmax` = `F.log_softmax` = `log_softmax`). An item with
  `strict_names` turns these off.
- numbers compare as numbers (`2` = `2.0`), with or without the unit the accepted answer names.
- output questions also accept the usual spellings of shapes, dtypes, scalar tensors and
  exceptions (see `canonical_output`).
"""

import math
import re
import unicodedata
from collections.abc import Collection, Iterable

import re2

# Longest prefixes first: each is removed once from the start of a name.
NAMESPACES = (
    "torch.nn.functional.",
    "nn.functional.",
    "torch.nn.",
    "torch.",
    "nn.",
    "f.",
)
IDENTIFIER = r"[a-z_][a-z0-9_]*"
DOTTED_NAME = re.compile(rf"^{IDENTIFIER}(?:\.{IDENTIFIER})*(?:\(\))?$")
NUMBER = r"[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?"
NUMBER_WITH_UNIT = re.compile(rf"^({NUMBER})\s*([a-z%][a-z% ]*)?$")
REGEX_TIME_BOUND_CHARS = 2000  # RE2 is linear; longer inputs are simply not matched


def normalise(text: str) -> str:
    """Unicode NFKC, case-folded, with surrounding and repeated inner whitespace collapsed."""
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def grade_choices(kind: str, correct_ids: Collection[int], selected_ids: Collection[int]) -> bool:
    """single/true_false: the one correct choice; multiple: exactly the correct set."""
    selected = set(selected_ids)
    if kind in {"single", "true_false"} and len(selected) != 1:
        return False
    return selected == set(correct_ids)


def name_forms(text: str) -> set[str]:
    """The spellings a dotted name may be given in: with and without `()`, receiver and namespace."""
    text = text.removeprefix(".") if text.startswith(".") and not text.startswith("..") else text
    if not DOTTED_NAME.match(text):
        return {text}
    bare = text.removesuffix("()").replace(" ", "")
    forms = {bare}
    for prefix in NAMESPACES:
        if bare.startswith(prefix) and len(bare) > len(prefix):
            forms.add(bare.removeprefix(prefix))
            break
    # A receiver that is not a namespace is a variable name: any other name, or none, will do.
    for form in list(forms):
        if "." in form and not any(f"{form}.".startswith(prefix) for prefix in NAMESPACES):
            forms.add(form.rsplit(".", 1)[1])
    return forms


def _number_and_unit(text: str) -> tuple[float, str] | None:
    match = NUMBER_WITH_UNIT.match(text.replace(",", "") if re.fullmatch(r"[\d,.]+", text) else text)
    if not match:
        return None
    try:
        value = float(match.group(1))
    except ValueError:
        return None
    unit = (match.group(2) or "").strip()
    return value, unit.removesuffix("s") if len(unit) > 1 else unit


def numbers_match(given: str, accepted: str) -> bool:
    """`2` = `2.0`; `200` and `200 update` match `200 updates`; a different unit does not."""
    left, right = _number_and_unit(given), _number_and_unit(accepted)
    if left is None or right is None:
        return False
    (given_value, given_unit), (value, unit) = left, right
    if given_unit and unit and given_unit != unit:
        return False
    return math.isclose(given_value, value, rel_tol=1e-9, abs_tol=1e-12)


def matches_accepted(given: str, accepted: str, *, strict_names: bool = False) -> bool:
    """One normalised typed answer against one normalised accepted answer."""
    if given == accepted:
        return True
    if numbers_match(given, accepted):
        return True
    if strict_names:
        return False
    return bool(name_forms(given) & name_forms(accepted))


def regex_matches(answer_regex: str, text: str) -> bool:
    """Full, case-insensitive match on RE2, whose matching time is linear in the text."""
    if not answer_regex or len(text) > REGEX_TIME_BOUND_CHARS:
        return False
    try:
        return re2.fullmatch(f"(?i:{answer_regex})", text) is not None
    except re2.error:
        return False


def grade_short(
    text: str, accepted_answers: Iterable[str], answer_regex: str = "", *, strict_names: bool = False
) -> bool:
    given = normalise(text)
    if not given:
        return False
    if any(matches_accepted(given, normalise(accepted), strict_names=strict_names) for accepted in accepted_answers):
        return True
    return regex_matches(answer_regex, given)


# Output questions ---------------------------------------------------------------------------

DTYPE_ALIASES = {
    "float": "float32",
    "double": "float64",
    "half": "float16",
    "cfloat": "complex64",
    "cdouble": "complex128",
    "long": "int64",
    "int": "int32",
    "short": "int16",
}
DTYPES = {
    "float32",
    "float64",
    "float16",
    "bfloat16",
    "complex64",
    "complex128",
    "int64",
    "int32",
    "int16",
    "int8",
    "uint8",
    "bool",
}
SIZE = re.compile(r"torch\.size\(\s*(\[[^\]]*\])\s*\)")
SCALAR_TENSOR = re.compile(rf"^tensor\(\s*({NUMBER}|true|false|nan|inf|-inf)\s*\.?\s*(?:,.*)?\)$")
TENSOR_LIST = re.compile(r"^tensor\(\s*(\[.*\])\s*\)$", re.S)
BARE_SEQUENCE = re.compile(r"^-?\d+(?:,-?\d+)+,?$")
NUMBER_TOKEN = re.compile(rf"(?<![\w.]){NUMBER}(?![\w])")
EXCEPTION = re.compile(r"^(?:raises\s+)?(?:[a-z_][a-z0-9_]*\.)*([a-z_][a-z0-9_]*(?:error|exception|warning))(?::.*)?$")


def _canonical_number(match: re.Match) -> str:
    text = match.group(0)
    try:
        value = float(text)
    except ValueError:
        return text
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)


def _canonical_line(line: str) -> str:
    line = SIZE.sub(lambda m: m.group(1), line)
    if scalar := SCALAR_TENSOR.match(line):
        line = scalar.group(1)
    elif listed := TENSOR_LIST.match(line):
        line = listed.group(1)
    if exception := EXCEPTION.match(line):
        return exception.group(1)
    words = line.removeprefix("torch.")
    if words in DTYPES or words in DTYPE_ALIASES:
        return DTYPE_ALIASES.get(words, words)
    line = NUMBER_TOKEN.sub(_canonical_number, line)
    line = line.replace("(", "[").replace(")", "]")
    line = re.sub(r"\s*([\[\],])\s*", r"\1", line)
    if BARE_SEQUENCE.match(line):
        line = f"[{line}]"
    return line.replace(",]", "]")


def _join_wrapped_lines(text: str) -> str:
    """A printed tensor spans several lines; inside brackets a line break is only layout."""
    depth, out = 0, []
    for char in text:
        depth += (char in "([") - (char in ")]")
        out.append(" " if char == "\n" and depth > 0 else char)
    return "".join(out)


def canonical_output(text: str) -> str:
    """One spelling for what a snippet prints: `torch.Size([2, 5])`, `(2, 5)` and `[2,5]` agree,
    so do `torch.float32`/`float32`/`torch.float`, `tensor(14.)`/`14`/`14.0`, and
    `RuntimeError: ...`/`RuntimeError`. Lines are compared one by one."""
    text = _join_wrapped_lines(unicodedata.normalize("NFKC", text).strip())
    lines = [normalise(line) for line in text.splitlines()]
    return "\n".join(_canonical_line(line) for line in lines if line)


def grade_output(text: str, accepted_answers: Iterable[str]) -> bool:
    given = canonical_output(text)
    return bool(given) and any(given == canonical_output(accepted) for accepted in accepted_answers)
