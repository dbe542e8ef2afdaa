"""Proofs for security/jwt-validation: the Avoid's decoders accept tokens that never expire,
forged tokens and tokens meant for other services; the Do refuses each of them."""

import re
import secrets
import warnings
from datetime import UTC, datetime, timedelta
from typing import Any

import jwt
import pytest
from pydantic import SecretStr

from app.core.config import Settings
from snippets.security.jwt_validation import avoid, do
from tests.evidence import Evidence

ADMIN_ID = 1  # the account an attacker wants to act as
# A real RSA public key (2048 bits, made with openssl), as an RS256 verifier would hold it.
PUBLIC_KEY_PEM = """-----BEGIN PUBLIC KEY-----
MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAjiXruyusO1XOgJRIiA1f
FvqjEm+AwK4vCEkYsxW8UU12rMloPE429dXlEWoa1Y76iNe/PErNo04p/wieMpCn
6+IEo78aG5NzIMoLSKyu2uJJK24QJIAXFwsPGwlScSaGe18dRdN19pVn7um2WWVU
bAswWq6dpbMWCVuSTlkLuth0ZmxZcLC4lFb+CCqk9UIXnF5p6uGqw8cFBUYANKO1
8iHcIn8LIoKRuVaeFifWavoaW0innCr6OTwHSBlwjPT/SSUMpmMIOEGaI6gcKDHr
c7Nlo8xST/MCV+iFD1+PSjZD66qj3E7brXgxFfv90jpm9/3NsUjq76DybGfdQFor
swIDAQAB
-----END PUBLIC KEY-----
"""


def make_settings(jwt_secret: str) -> Settings:
    return Settings(
        database_url="postgresql+asyncpg://unused/unused", jwt_secret=SecretStr(jwt_secret)
    )


def sign(claims: dict[str, Any], settings: Settings, algorithm: str = "HS256") -> str:
    """A token signed with the service's own secret (as a leaked or a sibling token would be)."""
    return jwt.encode(claims, settings.jwt_secret.get_secret_value(), algorithm=algorithm)


def valid_claims(**changes: Any) -> dict[str, Any]:
    now = datetime.now(UTC)
    claims: dict[str, Any] = {
        "sub": str(ADMIN_ID),
        "iss": do.ISSUER,
        "aud": do.AUDIENCE,
        "iat": now,
        "exp": now + timedelta(minutes=5),
    }
    claims.update(changes)
    return {key: value for key, value in claims.items() if value is not None}


def test_do_issues_short_lived_bound_tokens(settings: Settings) -> None:
    """The Do's token decodes to its user, its header says `HS256`, it names
    `https://auth.example.com` and `users-api`, and `exp - iat` is the settings'
    `access_token_ttl_minutes`, 30 minutes."""
    token = do.create_access_token(42, settings)

    assert do.read_user_id(token, settings) == 42
    claims = jwt.decode(token, options={"verify_signature": False})
    assert jwt.get_unverified_header(token)["alg"] == "HS256"
    assert claims["iss"] == do.ISSUER
    assert claims["aud"] == do.AUDIENCE
    assert claims["exp"] - claims["iat"] == settings.access_token_ttl_minutes * 60 == 30 * 60


def test_token_without_exp_is_accepted_forever(settings: Settings, evidence: Evidence) -> None:
    """The Avoid's token has no `exp`; it and a token with `iat` in 2020 both decode with the
    Avoid. The Do refuses both: `MissingRequiredClaimError: Token is missing the "exp"
    claim`."""
    token = avoid.create_access_token(ADMIN_ID, settings)
    claims = jwt.decode(token, options={"verify_signature": False})
    assert "exp" not in claims
    # Issued in 2020 and copied from a log since: still good, and it will stay good.
    leaked = sign({"sub": str(ADMIN_ID), "iat": datetime(2020, 1, 1, tzinfo=UTC)}, settings)

    assert avoid.read_user_id(token, settings) == ADMIN_ID
    assert avoid.read_user_id(leaked, settings) == ADMIN_ID
    evidence.add(
        f"claims of the Avoid's token: {sorted(claims)}\n"
        f"read_user_id(the Avoid's token) == {avoid.read_user_id(token, settings)}\n"
        "read_user_id(a token issued 2020-01-01, no exp) == "
        f"{avoid.read_user_id(leaked, settings)}",
        "The Avoid's read_user_id, on tokens without exp",
    )
    with pytest.raises(jwt.MissingRequiredClaimError, match='Token is missing the "exp" claim'):
        do.read_user_id(token, settings)
    with pytest.raises(jwt.MissingRequiredClaimError, match='Token is missing the "exp" claim'):
        do.read_user_id(leaked, settings)


def test_expired_token_is_refused_by_both(settings: Settings) -> None:
    """A token whose `exp` passed a second ago raises `ExpiredSignatureError: Signature has
    expired` in the Avoid as in the Do. The hole is a missing `exp`, not expiry checking."""
    # PyJWT checks `exp` whenever a token has one: absence is the hole, not expiry.
    expired = sign(valid_claims(exp=datetime.now(UTC) - timedelta(seconds=1)), settings)

    with pytest.raises(jwt.ExpiredSignatureError, match="Signature has expired"):
        avoid.read_user_id(expired, settings)
    with pytest.raises(jwt.ExpiredSignatureError, match="Signature has expired"):
        do.read_user_id(expired, settings)


def test_unverified_decode_accepts_forged_tokens(settings: Settings, evidence: Evidence) -> None:
    """A token signed with the attacker's key, and a real token of user 42 with the payload
    swapped for user 1's, both come out as user 1 from the Avoid's `peek_user_id`; the Do raises
    `InvalidSignatureError: Signature verification failed` for both."""
    # Signed with the attacker's own key.
    forged = jwt.encode(valid_claims(), secrets.token_urlsafe(64), algorithm="HS256")
    # A real token of user 42 whose payload was edited to say user 1; signature kept.
    header, _, signature = do.create_access_token(42, settings).split(".")
    _, admin_payload, _ = sign(valid_claims(), settings).split(".")
    tampered = f"{header}.{admin_payload}.{signature}"

    assert avoid.peek_user_id(forged) == ADMIN_ID
    assert avoid.peek_user_id(tampered) == ADMIN_ID
    evidence.add(
        f"peek_user_id(a token signed with the attacker's key) == {avoid.peek_user_id(forged)}\n"
        "peek_user_id(user 42's token, payload swapped for user 1's) == "
        f"{avoid.peek_user_id(tampered)}",
        "The Avoid's peek_user_id, on forged tokens",
    )
    for token in (forged, tampered):
        with pytest.raises(jwt.InvalidSignatureError, match="Signature verification failed"):
            do.read_user_id(token, settings)


def test_token_for_another_audience_or_issuer(settings: Settings, evidence: Evidence) -> None:
    """A token for `billing-api` and one from `https://auth.staging.example.com`, signed with
    the same secret. Plain `jwt.decode` without `audience` raises `InvalidAudienceError: Invalid
    audience` on the first; the Avoid, with `verify_aud: False`, accepts both. The Do raises
    `InvalidAudienceError: Audience doesn't match` and `InvalidIssuerError: Invalid issuer`, and
    a token without `aud`, `iss`, `iat` or `sub` raises `MissingRequiredClaimError` for that
    claim."""
    # Same secret, other consumer: a token the billing service was given.
    billing = sign(valid_claims(aud="billing-api"), settings)
    # Same secret, other issuer: the staging auth server shares production's secret.
    staging = sign(valid_claims(iss="https://auth.staging.example.com"), settings)

    # Without `audience`, PyJWT refuses any token that has an `aud`: this error is what the
    # Avoid's `verify_aud: False` silences.
    secret = settings.jwt_secret.get_secret_value()
    with pytest.raises(jwt.InvalidAudienceError, match=r"^Invalid audience$") as silenced:
        jwt.decode(billing, secret, algorithms=["HS256"])
    evidence.add(silenced.value, "jwt.decode of the billing-api token, without audience")
    assert avoid.read_user_id(billing, settings) == ADMIN_ID
    assert avoid.read_user_id(staging, settings) == ADMIN_ID
    evidence.add(
        "read_user_id(a token for aud billing-api) == "
        f"{avoid.read_user_id(billing, settings)}\n"
        "read_user_id(a token from iss https://auth.staging.example.com) == "
        f"{avoid.read_user_id(staging, settings)}",
        "The Avoid's read_user_id, with verify_aud: False",
    )
    with pytest.raises(jwt.InvalidAudienceError, match="Audience doesn't match"):
        do.read_user_id(billing, settings)
    with pytest.raises(jwt.InvalidIssuerError, match="Invalid issuer"):
        do.read_user_id(staging, settings)
    # Leaving a claim out does not get around the check: each is required.
    for claim in ("aud", "iss", "iat", "sub"):
        incomplete = sign(valid_claims(**{claim: None}), settings)
        with pytest.raises(jwt.MissingRequiredClaimError, match=f'missing the "{claim}" claim'):
            do.read_user_id(incomplete, settings)


def test_algorithm_from_the_header_accepts_any_algorithm(
    settings: Settings, evidence: Evidence
) -> None:
    """An HS512 token is accepted by the Avoid's `read_user_id_any_algorithm`; the Do raises
    `InvalidAlgorithmError: The specified alg value is not allowed`."""
    # Signed with HS512, an algorithm this service never issues (claims as the Avoid issues).
    hs512 = sign({"sub": str(ADMIN_ID)}, settings, algorithm="HS512")

    assert avoid.read_user_id_any_algorithm(hs512, settings) == ADMIN_ID
    evidence.add(
        f"header: {jwt.get_unverified_header(hs512)}\n"
        f"read_user_id_any_algorithm(the HS512 token) == "
        f"{avoid.read_user_id_any_algorithm(hs512, settings)}",
        "The Avoid's read_user_id_any_algorithm, on a token signed with HS512",
    )
    with pytest.raises(jwt.InvalidAlgorithmError, match="The specified alg value is not allowed"):
        do.read_user_id(hs512, settings)


def test_pyjwt_refuses_alg_none_and_key_confusion(settings: Settings) -> None:
    """What PyJWT 2.13 refuses on its own. An `alg: none` token: the Do raises
    `InvalidAlgorithmError`; the header-driven Avoid gets `InvalidKeyError: When alg = "none",
    key value must be None.`; even decoding with no key and `algorithms=["none"]` raises
    `InvalidSignatureError`. Key confusion (an HS256 token made with an RS256 verifier's public
    key as the HMAC secret): PyJWT refuses the PEM key both to sign and to verify, with
    `InvalidKeyError: The specified key is an asymmetric key or x509 certificate and should not
    be used as an HMAC secret.`"""
    unsigned = jwt.encode(valid_claims(), None, algorithm="none")
    assert unsigned.endswith(".")  # header.payload. with an empty signature

    # The Do never gets as far as the key: "none" is not in its list.
    with pytest.raises(jwt.InvalidAlgorithmError, match="The specified alg value is not allowed"):
        do.read_user_id(unsigned, settings)
    # With the algorithm taken from the header, PyJWT itself refuses: a key was given.
    with pytest.raises(
        jwt.InvalidKeyError, match=re.escape('When alg = "none", key value must be None.')
    ):
        avoid.read_user_id_any_algorithm(unsigned, settings)
    # ...and even with no key at all, "none" never verifies.
    with pytest.raises(jwt.InvalidSignatureError, match="Signature verification failed"):
        jwt.decode(unsigned, None, algorithms=["none"])

    # Key confusion: an HS256 token "signed" with an RS256 verifier's public key. PyJWT
    # refuses to use a PEM key as an HMAC secret, so the forged token cannot even be built...
    with pytest.raises(jwt.InvalidKeyError, match="should not be used as an HMAC secret"):
        jwt.encode(valid_claims(), PUBLIC_KEY_PEM, algorithm="HS256")
    # ...nor verified, when a verifier takes the algorithm from the header.
    confused = sign(valid_claims(), settings)  # any HS256 token: the key check comes first
    header_alg = jwt.get_unverified_header(confused)["alg"]
    with pytest.raises(jwt.InvalidKeyError, match="should not be used as an HMAC secret"):
        jwt.decode(confused, PUBLIC_KEY_PEM, algorithms=[header_alg])


def test_short_secret_is_flagged_by_pyjwt_and_guessed_offline() -> None:
    """Signing with `s3cr3t` raises `InsecureKeyLengthWarning: The HMAC key is 6 bytes long,
    which is below the minimum recommended length of 32 bytes for SHA256. See RFC 7518 Section
    3.2.`, and trying five common secrets against the one token finds it."""
    weak = make_settings("s3cr3t")

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        token = do.create_access_token(7, weak)
    assert [str(w.message) for w in caught] == [
        "The HMAC key is 6 bytes long, which is below the minimum recommended length of "
        "32 bytes for SHA256. See RFC 7518 Section 3.2."
    ]
    assert {w.category for w in caught} == {jwt.warnings.InsecureKeyLengthWarning}

    # One token is enough to test guesses offline, with no request to the service.
    guesses = ["secret", "changeme", "jwt-secret", "s3cr3t", "supersecret"]
    found = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", jwt.warnings.InsecureKeyLengthWarning)
        for guess in guesses:
            try:
                jwt.decode(token, guess, algorithms=["HS256"], options={"verify_aud": False})
            except jwt.InvalidSignatureError:
                continue
            found.append(guess)
    assert found == ["s3cr3t"]
