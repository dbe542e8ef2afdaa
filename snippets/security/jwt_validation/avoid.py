"""Access tokens as they are often written: no expiry, and decoders that check too little."""

import jwt

from app.core.config import Settings


def create_access_token(user_id: int, settings: Settings) -> str:
    # No `exp`: the token is valid for as long as the secret is.
    # expect: RB903
    return jwt.encode({"sub": str(user_id)}, settings.jwt_secret.get_secret_value(), "HS256")


def read_user_id(token: str, settings: Settings) -> int:
    # `exp` is checked only when the token has one, `iss` never, and the "Invalid audience"
    # error that tokens for other services raised has been switched off.
    claims = jwt.decode(  # expect: RB901
        token,
        settings.jwt_secret.get_secret_value(),
        algorithms=["HS256"],
        options={"verify_aud": False},  # expect: RB902
    )
    return int(claims["sub"])


def peek_user_id(token: str) -> int:
    # "The gateway has already checked it": the signature is not verified at all.
    claims = jwt.decode(token, options={"verify_signature": False})  # expect: RB901, RB902
    return int(claims["sub"])


def read_user_id_any_algorithm(token: str, settings: Settings) -> int:
    # The allowed algorithm is taken from the token's own header.
    algorithm = jwt.get_unverified_header(token)["alg"]
    # expect: RB901, RB904
    claims = jwt.decode(token, settings.jwt_secret.get_secret_value(), algorithms=[algorithm])
    return int(claims["sub"])
