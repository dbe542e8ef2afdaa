"""Proofs for stack/pwdlib-and-pyjwt: pwdlib and PyJWT are typed and installed; PyJWT refuses the
token tricks python-jose fell for; passlib and python-jose are not in the project, and the `crypt`
module passlib's host backends wrap is gone from Python 3.14."""

import importlib.resources
import importlib.util
import tomllib
from datetime import timedelta
from pathlib import Path

import jwt
import pytest
from packaging.requirements import Requirement

from app.core.security import hash_password, verify_password
from rulebook.versions import imported_modules, locked_versions, normalise
from snippets.stack.pwdlib_and_pyjwt import do
from tests.evidence import Evidence
from tests.lint import ROOT, mypy_codes

SECRET = "test-secret-" + "0123456789abcdef" * 4  # 76 bytes: long enough for HS512 too
# A server's OpenSSH ECDSA *public* key: known to anyone. python-jose 3.3.0 accepted it as an
# HMAC secret, so anyone could sign HS256 tokens the server verified (CVE-2024-33663).
SSH_PUBLIC_KEY = (
    "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBA06cVvtTr5GaYWySZ"
    "NaKZtYl3HCP54A7k8Tsb5ZRvjzuNxocTMUne/Z00Q2etHybc8yTIpRFoftL1VmuGzK/jI= deploy@api"
)
PEM_PUBLIC_KEY = (
    "-----BEGIN PUBLIC KEY-----\nMFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE\n-----END PUBLIC KEY-----\n"
)
AVOIDED = tomllib.loads(
    (ROOT / "snippets/stack/pwdlib_and_pyjwt/avoid.toml").read_text(encoding="utf-8")
)


def test_tokens_round_trip_with_a_pinned_algorithm() -> None:
    """`issue_token` produces a token whose header is `{"alg": "HS256", "typ": "JWT"}`;
    `read_subject` returns its subject, raises `InvalidSignatureError` under another secret and
    `ExpiredSignatureError` once `exp` has passed."""
    token = do.issue_token("user-42", SECRET, timedelta(minutes=5))
    assert jwt.get_unverified_header(token) == {"alg": "HS256", "typ": "JWT"}
    assert do.read_subject(token, SECRET) == "user-42"

    with pytest.raises(jwt.InvalidSignatureError):
        do.read_subject(token, "another-secret-of-at-least-32-bytes")
    expired = do.issue_token("user-42", SECRET, timedelta(seconds=-1))
    with pytest.raises(jwt.ExpiredSignatureError):
        do.read_subject(expired, SECRET)


def test_pyjwt_will_not_take_the_algorithm_from_the_token() -> None:
    """`jwt.decode(token, secret)` without `algorithms` raises `DecodeError: It is required that
    you pass in a value for the "algorithms" argument when calling decode().`; an unsigned token
    (`alg: none`) and a token validly signed with HS512, given to `read_subject`, both raise
    `InvalidAlgorithmError: The specified alg value is not allowed`."""
    token = do.issue_token("user-42", SECRET, timedelta(minutes=5))
    # python-jose's `jwt.decode(token, key)` trusts the header's `alg`; PyJWT refuses the call.
    with pytest.raises(jwt.DecodeError) as raised:
        jwt.decode(token, SECRET)
    assert str(raised.value) == (
        'It is required that you pass in a value for the "algorithms" argument when calling '
        "decode()."
    )
    # An unsigned token (`alg: none`), or one signed with another algorithm, is refused by the
    # pinned list, even when its signature is valid for that algorithm.
    unsigned = jwt.encode({"sub": "admin", "exp": 2**31}, None, algorithm="none")
    hs512 = jwt.encode({"sub": "admin", "exp": 2**31}, SECRET, algorithm="HS512")
    for other in (unsigned, hs512):
        with pytest.raises(jwt.InvalidAlgorithmError) as refused:
            do.read_subject(other, SECRET)
        assert str(refused.value) == "The specified alg value is not allowed"


def test_pyjwt_refuses_a_public_key_as_hmac_secret() -> None:
    """Replays the CVE-2024-33663 forgery on PyJWT: signing an HS256 token with an OpenSSH
    `ecdsa-sha2-nistp256` public key, or with a PEM public key, as the secret raises
    `InvalidKeyError: The specified key is an asymmetric key or x509 certificate and should not
    be used as an HMAC secret.`"""
    # The CVE-2024-33663 forgery: sign HS256 with the server's public key as the "secret".
    for key in (
        SSH_PUBLIC_KEY,
        f"-----BEGIN PUBLIC KEY-----\n{'A' * 64}\n-----END PUBLIC KEY-----\n",
    ):
        with pytest.raises(jwt.InvalidKeyError) as raised:
            jwt.encode({"sub": "admin"}, key, algorithm="HS256")
        assert str(raised.value) == (
            "The specified key is an asymmetric key or x509 certificate and should not be used "
            "as an HMAC secret."
        )


@pytest.mark.slow
def test_pwdlib_and_pyjwt_are_typed() -> None:
    """Both packages contain `py.typed`, mypy (strict) reports nothing on the Do, and the app's
    `hash_password` produces an `$argon2id$` hash that `verify_password` accepts."""
    for package in ("pwdlib", "jwt"):
        assert importlib.resources.files(package).joinpath("py.typed").is_file(), package
    assert mypy_codes(Path(do.__file__)) == {}
    hashed = hash_password("correct horse battery staple")
    assert hashed.startswith("$argon2id$")
    assert verify_password("correct horse battery staple", hashed)


def imported_top_level_modules(root: Path) -> set[str]:
    names: set[str] = set()
    for folder in ("src", "snippets", "tests"):
        for file in (root / folder).rglob("*.py"):
            names |= imported_modules(file.read_text(encoding="utf-8"))
    return names


def test_passlib_and_python_jose_are_kept_out(evidence: Evidence) -> None:
    """The Avoid's two requirements, `passlib` and `python-jose`, are neither in `uv.lock`,
    installed (no import spec for `passlib` or `jose`) nor imported by any file under `src/`,
    `snippets/` or `tests/`; and on this Python `import crypt` raises `ModuleNotFoundError: No
    module named 'crypt'`."""
    avoided = {normalise(Requirement(s).name) for s in AVOIDED["project"]["dependencies"]}
    assert avoided == {"passlib", "python-jose"}
    # Neither is locked, installed or imported anywhere in the project.
    locked, imported = locked_versions(ROOT / "uv.lock"), imported_top_level_modules(ROOT)
    assert avoided.isdisjoint(locked)
    assert importlib.util.find_spec("passlib") is None
    assert importlib.util.find_spec("jose") is None
    assert {"passlib", "jose"}.isdisjoint(imported)
    evidence.add(
        "\n".join(
            f"{name}: in uv.lock: {name in locked}; "
            f"importlib.util.find_spec({module!r}): {importlib.util.find_spec(module)}; "
            f"imported under src/, snippets/, tests/: {module in imported}"
            for name, module in (("passlib", "passlib"), ("python-jose", "jose"))
        ),
        "The Avoid's requirements in this project",
    )
    # passlib's host-crypt backends wrap the standard `crypt` module, removed in Python 3.13.
    with pytest.raises(ModuleNotFoundError) as raised:
        importlib.import_module("crypt")
    evidence.add(raised.value, "import crypt (what passlib's host backends wrap)")
    assert str(raised.value) == "No module named 'crypt'"
