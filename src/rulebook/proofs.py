"""A rule page's proofs: the table of its tests, and under its Avoid what those tests observed
(the committed evidence files). The site's Markdown extension and llms-full.txt both draw
them from here."""

from rulebook.source import Proof, Rule, Rulebook, evidence_files


def _test_link(rulebook: Rulebook, proof: Proof) -> str:
    """The test's name, linked to its line in the repository."""
    url = rulebook.blob_url(proof.file, proof.line)
    return f"[`{proof.name}`]({url})" if url else f"`{proof.name}`"


def render_proofs(rulebook: Rulebook, rule: Rule) -> list[str]:
    """The table of the rule's tests: each by its name in words, linked to its source (the
    function's name in the link's title), what it proves, and what it shows (its docstring)."""
    lines = ["| Test | Proves | What it shows |", "| --- | --- | --- |"]
    for proof in rule.proofs:
        proves = "✗ the Avoid fails" if proof.avoid else "✓ the Do works"
        shows = proof.shows.replace("|", "\\|")
        test = f"{_headline(proof)} (`{proof.name}`)"
        if url := rulebook.blob_url(proof.file, proof.line):
            test = f'[{_headline(proof)}]({url} "{proof.name}")'
        lines.append(f"| {test} | {proves} | {shows} |")
    return [*lines, ""]


def _headline(proof: Proof) -> str:
    """`test_lazy_relationship_raises_missing_greenlet` as "Lazy relationship raises missing
    greenlet"."""
    words = proof.name.rpartition("::")[2].split("[", 1)[0].removeprefix("test_")
    return words.replace("_", " ").capitalize()


def render_evidence(rulebook: Rulebook, rule: Rule, indent: str) -> list[str]:
    """Under the Avoid, what each of its proofs observed, from the committed evidence files
    (one per parameter of a parametrized test): the first open, the others folded."""
    lines: list[str] = []
    shown = [
        (proof, file)
        for proof in rule.proofs
        if proof.avoid
        for file in evidence_files(rulebook.root, proof.node_id)
    ]
    for number, (proof, file) in enumerate(shown):
        kind = "!!!" if number == 0 else "???"
        parameter = file.stem.partition("[")[2].removesuffix("]")
        title = f"{_headline(proof)} ({parameter})" if parameter else _headline(proof)
        lines += [
            f'{indent}{kind} failure "What the proof saw: {title}"',
            "",
            f"{indent}    Observed by {_test_link(rulebook, proof)}, written by the test itself:",
            "",
            f"{indent}    ```text",
            f'{indent}    --8<-- "{file.as_posix()}"',
            f"{indent}    ```",
            "",
        ]
    return lines
